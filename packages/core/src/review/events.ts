import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const ids = { proposalId: z.string(), callId: z.string() };
const assignment = { ...ids, assignmentId: z.string(), reviewerId: z.string() };

export const ReviewersAssigned = defineEvent(
  Sources.reviews,
  "Reviewers Assigned",
  1,
  z.object({ ...ids, assignments: z.array(z.object({ assignmentId: z.string(), reviewerId: z.string() })) }),
);
/** Not enough unconflicted reviewers: the workflow waits for staff to extend the pool. */
export const ReviewersNeeded = defineEvent(
  Sources.reviews,
  "Reviewers Needed",
  1,
  z.object({ ...ids, shortBy: z.number().int().positive() }),
);
export const ReviewSubmitted = defineEvent(Sources.reviews, "Review Submitted", 1, z.object(assignment));
export const ReviewReminderDue = defineEvent(
  Sources.reviews,
  "Review Reminder Due",
  1,
  z.object({ ...assignment, dueAt: z.string() }),
);
export const ConflictDeclared = defineEvent(Sources.reviews, "Conflict Declared", 1, z.object(assignment));
export const ReviewerReplaced = defineEvent(
  Sources.reviews,
  "Reviewer Replaced",
  1,
  z.object({
    ...assignment,
    reason: z.enum(["conflict", "late"]),
    /** The new assignment, absent when nobody was left to take over. */
    replacementAssignmentId: z.string().optional(),
  }),
);

export const reviewEvents = [
  ReviewersAssigned,
  ReviewersNeeded,
  ReviewSubmitted,
  ReviewReminderDue,
  ConflictDeclared,
  ReviewerReplaced,
];
