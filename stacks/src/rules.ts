import { patternFor } from "@allot/core/events";
import { ProposalSubmitted } from "@allot/core/proposal";
import { bus } from "./table.js";
import type { RetryPolicy, RuleSpec } from "./topology.js";

// EventBridge's own defaults, kept explicit so both realizations use the same numbers.
const retry: RetryPolicy = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 };

export const rules: RuleSpec[] = [
  {
    name: "start-review-on-submission",
    bus: bus.name,
    description: "A submitted proposal starts its review workflow",
    pattern: patternFor(ProposalSubmitted),
    targets: [{ kind: "function", function: "start-review-workflow", retry }],
  },
];
