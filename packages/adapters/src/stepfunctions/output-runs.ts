import type { ObligationTimers, VerificationRuns } from "@allot/core/output";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { startNamedExecution } from "./named-execution.js";

// Both are executions named by what they are about, so a redelivered event or a repeated
// request finds its run started already.

/** A verification run, named by the caller (the output and what started it). */
export const stepFunctionsVerificationRuns = (
  client: SFNClient,
  stateMachineArn: () => string,
): VerificationRuns => ({
  start: ({ awardId, outputId, runName }) =>
    startNamedExecution(client, stateMachineArn(), runName, { awardId, outputId, attempt: 1 }),
});

/** One timer per award and obligation for the award's life; `after: ""` plans from the start. */
export const stepFunctionsObligationTimers = (
  client: SFNClient,
  stateMachineArn: () => string,
): ObligationTimers => ({
  start: ({ awardId, obligation }) =>
    startNamedExecution(client, stateMachineArn(), `${awardId}-${obligation}`, {
      awardId,
      obligation,
      after: "",
    }),
});
