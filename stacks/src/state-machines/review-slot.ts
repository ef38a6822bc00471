// One review slot, run for each slot of the proposal inside CollectReviews: wait for the review,
// remind on the heartbeat, replace the reviewer after a conflict or a missed deadline.
import { WorkflowErrors } from "@allot/core";
import { choice, invoke, isTrue, on, pass, waitForToken } from "../asl/states.js";

const slot = { proposalId: "$.proposalId", slot: "$.slot" };

const replace = (reason: "conflict" | "late") =>
  invoke("replace-reviewer", {
    payload: { ...slot, reason },
    select: ["replaced", "timing"],
    resultPath: "$.replacement",
    next: "Replaced?",
  });

const conflictOrLate = [
  on(WorkflowErrors.reviewerConflicted, "ReplaceConflicted", "$.error"),
  on(WorkflowErrors.timeout, "ReplaceLate", "$.error"),
];

export const reviewSlot = {
  StartAt: "Remind?",
  States: {
    "Remind?": choice([isTrue("$.timing.remind", "AwaitReview")], "AwaitReviewUntilDeadline"),
    AwaitReview: waitForToken("await-review", {
      payload: slot,
      timeoutSecondsPath: "$.timing.timeoutSeconds",
      heartbeatSecondsPath: "$.timing.heartbeatSeconds",
      resultPath: "$.review",
      catch: [on(WorkflowErrors.heartbeatTimeout, "Remind", "$.error"), ...conflictOrLate],
      next: "Reviewed",
    }),
    AwaitReviewUntilDeadline: waitForToken("await-review", {
      payload: slot,
      timeoutSecondsPath: "$.timing.timeoutSeconds",
      resultPath: "$.review",
      catch: conflictOrLate,
      next: "Reviewed",
    }),
    Remind: invoke("remind-reviewer", {
      payload: slot,
      select: ["timeoutSeconds", "heartbeatSeconds", "remind"],
      resultPath: "$.timing",
      next: "Remind?",
    }),
    ReplaceConflicted: replace("conflict"),
    ReplaceLate: replace("late"),
    "Replaced?": choice([isTrue("$.replacement.replaced", "NewDeadline")], "SlotUnfilled"),
    NewDeadline: pass({ ...slot, timing: "$.replacement.timing" }, { next: "Remind?" }),
    SlotUnfilled: pass({ slot: "$.slot", filled: false }, { end: true }),
    Reviewed: pass({ slot: "$.slot", filled: true }, { end: true }),
  },
};
