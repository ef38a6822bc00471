import type { AwardTermTimer, CloseoutWorkflow } from "@allot/core/award";
import { SendTaskSuccessCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { startNamedExecution } from "./named-execution.js";
import { isGone } from "./review-workflow.js";

// Both the term timer and the closeout are executions named by the award: a redelivered
// activation or closeout request finds its execution started already.

export const stepFunctionsTermTimer = (client: SFNClient, stateMachineArn: () => string): AwardTermTimer => ({
  start: ({ awardId, endsAt }) =>
    startNamedExecution(client, stateMachineArn(), awardId, { awardId, term: { endsAt } }),
});

export const stepFunctionsCloseoutWorkflow = (
  client: SFNClient,
  stateMachineArn: () => string,
): CloseoutWorkflow => ({
  start: (input) => startNamedExecution(client, stateMachineArn(), input.awardId, input),
  async complete(taskToken, output) {
    try {
      await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      if (isGone(error)) return;
      throw error;
    }
  },
});
