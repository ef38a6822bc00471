import { ProposalStatus } from "@allot/core/proposal";
import { Rubric } from "@allot/core/review";
import { z } from "zod";
import { IsoTime } from "./common.js";
import { ProposalView } from "./proposals.js";

export const AssignmentStatus = z.enum(["open", "submitted", "conflicted", "late", "cancelled"]);

export const AssignmentView = z
  .object({
    assignmentId: z.string(),
    proposalId: z.string(),
    callId: z.string(),
    slot: z.number().int(),
    turn: z.number().int(),
    reviewerId: z.string(),
    status: AssignmentStatus,
    assignedAt: IsoTime,
    dueAt: IsoTime,
    remindersSent: z.number().int(),
    review: z.object({ scores: z.record(z.string(), z.number()), comments: z.string() }).optional(),
    submittedAt: IsoTime.optional(),
    closedAt: IsoTime.optional(),
  })
  .meta({ id: "Assignment" });

/** A reviewer's own assignment, with the call's rubric and the proposal as they may see it. */
export const ReviewerAssignment = AssignmentView.extend({ rubric: Rubric, proposal: ProposalView }).meta({
  id: "ReviewerAssignment",
});

export const RankedProposal = z.object({
  rank: z.number().int(),
  proposalId: z.string(),
  title: z.string().optional(),
  status: ProposalStatus,
  total: z.number(),
  reviewCount: z.number().int(),
  spread: z.number(),
  disagreement: z.boolean(),
  incomplete: z.boolean(),
});
