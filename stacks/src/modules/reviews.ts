import { patternFor } from "@allot/core/events";
import { ReviewerPoolExtended } from "@allot/core/program";
import { fn, reviewWorkflow, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import { defaultRetry, type StackModule } from "./module.js";

// Tasks that may complete a callback themselves (the review was in before the task ran)
// need the callback grant as well as the table.
const task = (name: string, description: string, callbacks = false) =>
  fn(
    name,
    `tasks/${name}.ts`,
    description,
    callbacks ? [tableReadWrite, reviewWorkflow("callback")] : [tableReadWrite],
  );

export const reviews: StackModule = {
  functions: [
    task("assign-reviewers", "Fills a proposal's review slots from the call's pool, without conflicts"),
    task("await-reviewers", "Parks the callback that waits for staff to extend the reviewer pool", true),
    task("await-review", "Parks a review slot's callback on its current assignment", true),
    task("remind-reviewer", "Records a reminder to a reviewer whose review is due"),
    task("replace-reviewer", "Gives a slot to the next reviewer after a conflict or a missed deadline"),
    task("score-proposal", "Weighted rubric score of the submitted reviews"),
    fn("list-assignments", "http/assignments/list-assignments.ts", "A reviewer's own assignments", [
      tableRead,
    ]),
    fn("submit-review", "http/assignments/submit-review.ts", "A reviewer submits scores and comments", [
      tableReadWrite,
      reviewWorkflow("callback"),
    ]),
    fn(
      "declare-conflict",
      "http/assignments/declare-conflict.ts",
      "A reviewer declares a conflict and is replaced",
      [tableReadWrite, reviewWorkflow("callback")],
    ),
    fn("call-ranking", "http/calls/call-ranking.ts", "Staff read a call's scored proposals, ranked", [
      tableRead,
    ]),
    fn(
      "resume-awaiting-reviewers",
      "events/resume-awaiting-reviewers.ts",
      "Wakes proposals waiting for reviewers",
      [tableReadWrite, reviewWorkflow("callback")],
    ),
    fn(
      "cancel-open-assignments",
      "events/cancel-open-assignments.ts",
      "Closes a withdrawn proposal's open assignments",
      [tableReadWrite],
    ),
  ],
  routes: [
    { method: "GET", path: "/assignments", function: "list-assignments", roles: ["reviewer"] },
    {
      method: "POST",
      path: "/assignments/{assignmentId}/review",
      function: "submit-review",
      roles: ["reviewer"],
    },
    {
      method: "POST",
      path: "/assignments/{assignmentId}/conflict",
      function: "declare-conflict",
      roles: ["reviewer"],
    },
    { method: "GET", path: "/calls/{callId}/ranking", function: "call-ranking", roles: ["staff"] },
  ],
  rules: [
    {
      name: "resume-on-pool-extended",
      bus: bus.name,
      description: "New reviewers in a call's pool let waiting proposals go on to assignment",
      pattern: patternFor(ReviewerPoolExtended),
      targets: [{ kind: "function", function: "resume-awaiting-reviewers", retry: defaultRetry }],
    },
  ],
};
