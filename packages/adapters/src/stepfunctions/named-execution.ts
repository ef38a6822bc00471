import { currentCorrelationId } from "@allot/core/events";
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";

/** The ARN of a machine's execution of that name. */
export const executionArnOf = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;

/**
 * Starts an execution named by its subject; one that exists already is what was wanted. Every
 * task of our machines reads `$$.Execution.Input.correlationId` for its logs, so each execution
 * carries one: the given one, the causal chain's, or (outside any chain) the execution's name.
 */
export const startNamedExecution = async (
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  input: Record<string, unknown>,
  correlationId?: string,
) => {
  const correlated = { ...input, correlationId: correlationId ?? currentCorrelationId() ?? name };
  try {
    await client.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(correlated) }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
};
