import { Decision, ProposalStatus, ProposalSubmission } from "@allot/core/proposal";
import { z } from "zod";
import { IsoTime } from "./common.js";

const Score = z.object({
  total: z.number().nullable(),
  reviewCount: z.number().int(),
  spread: z.number(),
  disagreement: z.boolean(),
  incomplete: z.boolean(),
  criteria: z.array(z.object({ criterionId: z.string(), name: z.string(), mean: z.number() })),
  scoredAt: IsoTime,
});

const RecordedDecision = z.object({
  ...Decision.shape,
  decidedBy: z.string(),
  decidedAt: IsoTime,
  scoreAtDecision: Score.nullable(),
});

/**
 * A proposal as the caller may see it: staff all of it, its applicant without other people's
 * names in the committee's text, an assigned reviewer without the applicant (in a blind call
 * without the investigators either), the screening or the decision.
 */
export const ProposalView = z
  .object({
    ...ProposalSubmission.partial().shape,
    proposalId: z.string(),
    callId: z.string(),
    status: ProposalStatus,
    applicantId: z.string().optional().meta({ description: "Not shown to reviewers" }),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    submittedAt: IsoTime.optional(),
    withdrawnAt: IsoTime.optional(),
    withdrawalReason: z.string().optional(),
    score: Score.optional(),
    screening: z
      .object({
        eligible: z.boolean(),
        reasons: z.array(z.string()),
        warnings: z.array(z.string()).optional(),
        screenedAt: IsoTime,
      })
      .optional(),
    decision: RecordedDecision.optional(),
    revisedDecisions: z
      .array(RecordedDecision.extend({ refusedAt: IsoTime, refusal: z.string() }))
      .optional()
      .meta({ description: "Decisions the budget could not honour, with the numbers that refused them" }),
    blind: z.boolean().optional().meta({ description: "Reviewers only: the call hides who proposes" }),
  })
  .meta({ id: "Proposal" });

export const WorkflowHistory = z
  .object({
    status: z.string().meta({ description: "The newest execution's status" }),
    current: z.string(),
    executions: z.array(
      z.object({
        name: z.string(),
        kind: z.enum(["review", "award", "redrive"]),
        status: z.string(),
        startedAt: IsoTime.optional(),
        stoppedAt: IsoTime.optional(),
        events: z.array(
          z.object({
            id: z.number(),
            type: z.string(),
            timestamp: IsoTime,
            state: z.string().optional(),
            error: z.string().optional(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: "WorkflowHistory" });
