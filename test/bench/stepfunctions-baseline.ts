import "../../packages/aws-local/src/polyfills.js";
import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { mapLimit } from "../../packages/aws-local/src/eventbridge/limit.js";
import { benchDefinition, type ExecutionOptions, type ExecutionResult, noopPayload } from "./machine.js";
import { timed } from "./stats.js";

// What lambda:invoke returns around the function's answer (the parts the machine reads).
const invokeResponse = { ExecutedVersion: "$LATEST", Payload: noopPayload, StatusCode: 200 };

/**
 * Baseline B: the same definition run by aws-local-stepfunctions alone, in memory, with the
 * task answered by a local override: the interpreter's cost, with no journal and no checkpoint.
 */
export const createInMemoryBaseline = () => {
  const machine = new StateMachine(benchDefinition as unknown as StateMachineDefinition);
  const overrides = { taskResourceLocalHandlers: { Work: async () => invokeResponse } };
  return {
    async round(options: ExecutionOptions): Promise<ExecutionResult> {
      const indices = Array.from({ length: options.executions }, (_, index) => index);
      const { ms } = await timed(() =>
        mapLimit(indices, options.concurrency, async (index) => {
          const output = (await machine.run({ index }, { overrides }).result) as {
            work?: { ok?: unknown };
          } | null;
          if (output?.work?.ok !== true) throw new Error(`execution ${index} gave ${JSON.stringify(output)}`);
        }),
      );
      return { executionsPerSecond: (options.executions / ms) * 1000, ms };
    },
  };
};
