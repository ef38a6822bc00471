import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const ids = {
  proposalId: z.string().describe("The proposal under review (prp_…)."),
  callId: z.string().describe("The call the proposal answers."),
};
const assignmentId = z.string().describe("The review assignment's id (asg_…).");
const reviewerId = z
  .string()
  .describe("The reviewer's id (identity-provider subject), never shown to applicants.");
const assignment = { ...ids, assignmentId, reviewerId };
const example = { proposalId: "prp_zbtnnzb4jss7sexq8gajt736f1", callId: "call-2027-spring" };
const assignmentExample = {
  ...example,
  assignmentId: "asg_70zn5wvvr56pnxk40y1tcknpmr",
  reviewerId: "rev-ada",
};

export const ReviewersAssigned = defineEvent(
  Sources.reviews,
  "Reviewers Assigned",
  1,
  z.object({
    ...ids,
    assignments: z.array(z.object({ assignmentId, reviewerId })).describe("One entry per reviewer assigned."),
  }),
  {
    description:
      "The workflow assigned unconflicted reviewers from the call's pool to a proposal. Sent once per assignment round; the reviewers are notified, and staff dashboards follow review progress with it.",
    example: {
      ...example,
      assignments: [
        { assignmentId: "asg_70zn5wvvr56pnxk40y1tcknpmr", reviewerId: "rev-ada" },
        { assignmentId: "asg_8qeaa9p10vg714rwa384g04tjv", reviewerId: "rev-dana" },
      ],
    },
  },
);
/** Not enough unconflicted reviewers: the workflow waits for staff to extend the pool. */
export const ReviewersNeeded = defineEvent(
  Sources.reviews,
  "Reviewers Needed",
  1,
  z.object({
    ...ids,
    shortBy: z.number().int().positive().describe("How many more reviewers the proposal needs."),
  }),
  {
    description:
      "A proposal has too few unconflicted reviewers in the call's pool; its workflow waits until staff extend the pool. Staff are notified.",
    example: { ...example, shortBy: 1 },
  },
);
export const ReviewSubmitted = defineEvent(Sources.reviews, "Review Submitted", 1, z.object(assignment), {
  description:
    "A reviewer submitted a scored review for an assignment. Sent once per assignment; the workflow scores the proposal when the last review is in.",
  example: assignmentExample,
});
export const ReviewReminderDue = defineEvent(
  Sources.reviews,
  "Review Reminder Due",
  1,
  z.object({ ...assignment, dueAt: z.string().describe("When the review is due (ISO 8601, UTC).") }),
  {
    description:
      "A review assignment is close to its due date with no review yet. Sent once per assignment; the reviewer is reminded.",
    example: { ...assignmentExample, dueAt: "2027-03-15T23:59:59.000Z" },
  },
);
export const ConflictDeclared = defineEvent(Sources.reviews, "Conflict Declared", 1, z.object(assignment), {
  description:
    "A reviewer declared a conflict of interest on an assignment. Sent once; the workflow replaces the reviewer.",
  example: assignmentExample,
});
export const ReviewerReplaced = defineEvent(
  Sources.reviews,
  "Reviewer Replaced",
  1,
  z.object({
    ...assignment,
    reason: z.enum(["conflict", "late"]).describe("Why the reviewer was replaced."),
    /** The new assignment, absent when nobody was left to take over. */
    replacementAssignmentId: z
      .string()
      .optional()
      .describe("The new assignment, absent when nobody was left to take over."),
  }),
  {
    description:
      "A reviewer was taken off an assignment (a declared conflict or a missed due date) and, if the pool allowed, another reviewer took over. Staff dashboards follow it.",
    example: {
      ...assignmentExample,
      reason: "late",
      replacementAssignmentId: "asg_8qeaa9p10vg714rwa384g04tjv",
    },
  },
);

export const reviewEvents = [
  ReviewersAssigned,
  ReviewersNeeded,
  ReviewSubmitted,
  ReviewReminderDue,
  ConflictDeclared,
  ReviewerReplaced,
];
