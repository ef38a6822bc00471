import { choice, definition, invoke, isTrue, pass, succeed, waitUntil } from "../asl/states.js";

// The retry of a service that cannot answer lives here, not in the bus: the wait honours the
// service's Retry-After (a Step Functions Retry has fixed intervals), survives restarts as a
// durable Wait, and runs the same on AWS, where an EventBridge rule's Lambda target is retried
// by Lambda's async invocation only twice.
export const outputVerification = definition(
  "One verification of one output: ask the registry or the code host; while the service cannot answer, wait as long as it asked (or back off exponentially) and ask again, up to a bound. Named by the output and what started it (registration, an on-demand request, the day of a re-check).",
  "Verify",
  {
    Verify: invoke("verify-output", {
      payload: { awardId: "$.awardId", outputId: "$.outputId", attempt: "$.attempt" },
      select: ["again", "attempt", "retryAt"],
      resultPath: "$.result",
      next: "AnsweredOrGaveUp",
    }),
    AnsweredOrGaveUp: choice([isTrue("$.result.again", "UntilRetry")], "Done"),
    UntilRetry: waitUntil("$.result.retryAt", { next: "NextAttempt" }),
    NextAttempt: pass(
      { awardId: "$.awardId", outputId: "$.outputId", attempt: "$.result.attempt" },
      { next: "Verify" },
    ),
    Done: succeed(),
  },
);
