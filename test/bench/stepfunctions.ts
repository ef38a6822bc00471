import "../../packages/aws-local/src/polyfills.js";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mapLimit } from "../../packages/aws-local/src/eventbridge/limit.js";
import { functionNameOf, type LambdaInvoker } from "../../packages/aws-local/src/lambda/invoker.js";
import { silentLogger } from "../../packages/aws-local/src/logger.js";
import { createStepFunctions } from "../../packages/aws-local/src/stepfunctions/index.js";
import {
  benchDefinition,
  type ExecutionOptions,
  type ExecutionResult,
  NOOP_FUNCTION,
  noopPayload,
} from "./machine.js";
import { timed } from "./stats.js";

const ROLE = "arn:aws:iam::000000000000:role/allot-bench";

export interface StepFunctionsBench {
  /** Starts executions through the StartExecution operation and waits for each to succeed. */
  round(options: ExecutionOptions & { timeoutMs: number }): Promise<ExecutionResult>;
  stop(): Promise<void>;
}

/** The durable Step Functions emulator (journal, checkpoints in DynamoDB) with a no-op function. */
export const startStepFunctionsBench = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<StepFunctionsBench> => {
  const lambda: LambdaInvoker = {
    has: (name) => functionNameOf(name) === NOOP_FUNCTION,
    invoke: async () => ({ ok: true, payload: noopPayload }),
  };
  const stepFunctions = createStepFunctions({
    doc,
    tableName,
    lambda,
    putEvents: async () => {
      throw new Error("the bench machine puts no events");
    },
    logger: silentLogger,
  });
  const { stateMachineArn } = await stepFunctions.createStateMachine(
    `bench-${Date.now().toString(36)}`,
    JSON.stringify(benchDefinition),
    ROLE,
  );
  const startExecution = stepFunctions.service.operations.StartExecution;
  if (!startExecution) throw new Error("the emulator has no StartExecution operation");

  return {
    async round(options) {
      const indices = Array.from({ length: options.executions }, (_, index) => index);
      const { ms } = await timed(() =>
        mapLimit(indices, options.concurrency, async (index) => {
          const started = (await startExecution({ stateMachineArn, input: JSON.stringify({ index }) })) as {
            executionArn: string;
          };
          const record = await stepFunctions.waitForExecution(started.executionArn, options.timeoutMs);
          if (record.status !== "SUCCEEDED") {
            throw new Error(`execution ${index} ended ${record.status}: ${record.error} ${record.cause}`);
          }
        }),
      );
      return { executionsPerSecond: (options.executions / ms) * 1000, ms };
    },
    stop: () => stepFunctions.stop(),
  };
};
