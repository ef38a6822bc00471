import { z } from "zod";
import { CallId, Slug, Text } from "../bounds.js";
import { Cents } from "../program/schema.js";

export { ProposalId } from "../bounds.js";

export const Person = z.object({
  name: Text(200, 1, "is required"),
  email: z.email("must be an email address"),
  institution: Text(300, 1, "is required"),
});

/**
 * The PI names a partner institution by its canonical id (from GET /programs/{programId}/institutions),
 * or their institution in free text, which never makes the proposal a partner's. Partner status is
 * the program's list, not the applicant's word: the old self-declared flag is refused.
 */
export const PrincipalInvestigator = Person.extend({
  institution: Person.shape.institution.optional(),
  institutionId: Slug.optional(),
  strategicPartner: z
    .never({
      error:
        "is no longer accepted: partner status comes from the program's list; name your institution's id in pi.institutionId",
    })
    .optional(),
}).refine((pi) => pi.institution !== undefined || pi.institutionId !== undefined, {
  message: "is required unless pi.institutionId names a partner institution",
  path: ["institution"],
});

export const ProposalSubmission = z.object({
  callId: CallId,
  title: z.string().trim().min(5, "must be at least 5 characters").max(300, "must be at most 300 characters"),
  abstract: z
    .string()
    .trim()
    .min(50, "must be at least 50 characters")
    .max(5000, "must be at most 5000 characters"),
  pi: PrincipalInvestigator,
  coInvestigators: z.array(Person).max(20, "at most 20 co-investigators").default([]),
  keywords: z
    .array(Text(100, 1, "is required"))
    .min(1, "name at least one research area")
    .max(10),
  requestedCashCents: Cents,
  requestedCreditsCents: Cents,
  durationMonths: z.number().int().min(1).max(60),
  openSourcePlan: Text(5000, 20, "describe the repository and license (at least 20 characters)"),
});
export type ProposalSubmission = z.infer<typeof ProposalSubmission>;

export const ProposalStatus = z.enum([
  "draft",
  "submitted",
  "ineligible",
  "in_review",
  "awaiting_reviewers",
  "decision_pending",
  "awarded",
  "declined",
  "waitlisted",
  "withdrawn",
]);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

export const DecisionOutcome = z.enum(["approve", "decline", "waitlist"]);

export const Decision = z
  .object({
    outcome: DecisionOutcome,
    rationale: Text(5000, 10, "explain the decision (at least 10 characters)"),
    cashCents: Cents.optional(),
    creditsCents: Cents.optional(),
  })
  .refine((d) => d.outcome !== "approve" || (d.cashCents !== undefined && d.creditsCents !== undefined), {
    message: "an approval names cashCents and creditsCents",
    path: ["cashCents"],
  });
export type Decision = z.infer<typeof Decision>;

/** A draft may be incomplete; submission checks it whole. */
export const ProposalDraft = ProposalSubmission.partial().extend({ callId: ProposalSubmission.shape.callId });
export type ProposalDraft = z.infer<typeof ProposalDraft>;
export const ProposalDraftPatch = ProposalSubmission.omit({ callId: true }).partial();

export interface ProposalScore {
  total: number | null;
  reviewCount: number;
  spread: number;
  disagreement: boolean;
  criteria: Array<{ criterionId: string; name: string; mean: number }>;
  /** Fewer reviews than the call asks for: staff decide knowing it. */
  incomplete: boolean;
  scoredAt: string;
}

export type RecordedDecision = Decision & {
  decidedBy: string;
  decidedAt: string;
  scoreAtDecision: ProposalScore | null;
};

export interface Proposal extends ProposalDraft {
  proposalId: string;
  applicantId: string;
  status: ProposalStatus;
  createdAt: string;
  submittedAt?: string;
  updatedAt: string;
  withdrawnAt?: string;
  withdrawalReason?: string;
  score?: ProposalScore;
  /** The workflow's callback while it waits for staff to extend the reviewer pool. */
  reviewerWaitTaskToken?: string;
  screening?: { eligible: boolean; reasons: string[]; warnings?: string[]; screenedAt: string };
  decision?: RecordedDecision;
  /** Decisions the budget could not honour, kept with the numbers that refused them. */
  revisedDecisions?: Array<RecordedDecision & { refusedAt: string; refusal: string }>;
  /** The committee-decision callback the workflow waits on; internal, never shown to callers. */
  decisionTaskToken?: string;
  /** Version for optimistic concurrency: every write asserts the one it read. */
  revision: number;
}

export const Withdrawal = z.object({ reason: Text(2000, 3, "say why (at least 3 characters)") });
