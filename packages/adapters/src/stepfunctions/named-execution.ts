import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";

/** Starts an execution named by its subject; one that exists already is what was wanted. */
export const startNamedExecution = async (
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  input: unknown,
) => {
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
};
