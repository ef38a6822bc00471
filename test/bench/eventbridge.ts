import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createEventBridge } from "../../packages/aws-local/src/eventbridge/index.js";
import { mapLimit } from "../../packages/aws-local/src/eventbridge/limit.js";
import type { LambdaInvoker } from "../../packages/aws-local/src/lambda/invoker.js";
import { silentLogger } from "../../packages/aws-local/src/logger.js";
import { timed, within } from "./stats.js";

const BUS = "allot-bench";
const SOURCE = "allot.bench";
const FUNCTION = "bench-noop";

export interface PutEventsOptions {
  events: number;
  /** Entries per PutEvents call. */
  perCall: number;
  /** PutEvents calls in flight at once. */
  concurrency: number;
  /** Longest wait for every delivery to be done. */
  timeoutMs: number;
}

export interface PutEventsResult {
  eventsPerSecond: number;
  ms: number;
  invocations: number;
}

export interface EventBridgeBench {
  /** Puts `events` events and waits until the rule's target received every one of them. */
  round(options: PutEventsOptions): Promise<PutEventsResult>;
  stop(): Promise<void>;
}

/**
 * The EventBridge emulator with one bus and one rule whose target is an in-process no-op
 * function: what is measured is the emulator (archive, delivery records, dispatch), not a
 * handler.
 */
export const startEventBridgeBench = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<EventBridgeBench> => {
  let invocations = 0;
  const lambda: LambdaInvoker = {
    has: (name) => name === FUNCTION,
    invoke: async () => {
      invocations++;
      return { ok: true, payload: null };
    },
  };
  const eventBridge = createEventBridge({
    doc,
    tableName,
    buses: [{ name: BUS, archiveRetentionDays: 1 }],
    rules: [
      {
        name: "bench-to-noop",
        bus: BUS,
        description: "every bench event to the no-op function",
        pattern: { source: [SOURCE] },
        targets: [
          {
            kind: "function",
            function: FUNCTION,
            retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 3600 },
          },
        ],
      },
    ],
    lambda,
    logger: silentLogger,
  });
  await eventBridge.start();

  return {
    async round(options) {
      const calls: number[][] = [];
      for (let i = 0; i < options.events; i += options.perCall) {
        calls.push(Array.from({ length: Math.min(options.perCall, options.events - i) }, (_, k) => i + k));
      }
      const before = invocations;
      const { ms } = await timed(async () => {
        await mapLimit(calls, options.concurrency, async (indices) => {
          const response = await eventBridge.putEvents(
            indices.map((index) => ({
              Source: SOURCE,
              DetailType: "Bench Event Put",
              Detail: JSON.stringify({ index, note: "a payload of about the size of a small domain event" }),
              EventBusName: BUS,
            })),
          );
          if (response.FailedEntryCount > 0) {
            throw new Error(`PutEvents refused entries: ${JSON.stringify(response.Entries.slice(0, 3))}`);
          }
        });
        await within(eventBridge.idle(), options.timeoutMs, "delivering the events");
      });
      const delivered = invocations - before;
      if (delivered !== options.events) {
        throw new Error(`${options.events} events put but the target was invoked ${delivered} times`);
      }
      return { eventsPerSecond: (options.events / ms) * 1000, ms, invocations: delivered };
    },
    stop: () => eventBridge.stop(),
  };
};
