import type { AwardTermTimer, CloseoutRun, CloseoutWorkflow } from "@allot/core/award";
import { DescribeExecutionCommand, SendTaskSuccessCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { executionArnOf, startNamedExecution } from "./named-execution.js";
import { isGone } from "./review-workflow.js";

// Both the term timer and the closeout are executions named by the award: a redelivered
// activation or closeout request finds its execution started already. A closeout resumed by
// staff is another execution, named by its attempt.

const closeoutName = (awardId: string, attempt = 1) =>
  attempt > 1 ? `${awardId}-resume-${attempt}` : awardId;

export const stepFunctionsTermTimer = (client: SFNClient, stateMachineArn: () => string): AwardTermTimer => ({
  start: ({ awardId, endsAt }) =>
    startNamedExecution(client, stateMachineArn(), awardId, { awardId, term: { endsAt } }),
});

export const stepFunctionsCloseoutWorkflow = (
  client: SFNClient,
  stateMachineArn: () => string,
): CloseoutWorkflow => ({
  start: ({ attempt, ...input }) =>
    startNamedExecution(client, stateMachineArn(), closeoutName(input.awardId, attempt), input),
  async state(awardId, attempt): Promise<CloseoutRun> {
    const executionArn = executionArnOf(stateMachineArn(), closeoutName(awardId, attempt));
    try {
      const { status } = await client.send(new DescribeExecutionCommand({ executionArn }));
      if (status === "RUNNING" || status === "PENDING_REDRIVE") return "running";
      return status === "SUCCEEDED" ? "succeeded" : "failed";
    } catch (error) {
      if ((error as Error).name === "ExecutionDoesNotExist") return "absent";
      throw error;
    }
  },
  async complete(taskToken, output) {
    try {
      await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      if (isGone(error)) return;
      throw error;
    }
  },
});
