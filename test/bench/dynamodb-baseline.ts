import { randomUUID } from "node:crypto";
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mapLimit } from "../../packages/aws-local/src/eventbridge/limit.js";
import { timed } from "./stats.js";

export interface BatchWriteOptions {
  items: number;
  /** Items per BatchWriteItem (DynamoDB's maximum is 25). */
  batchSize: number;
  /** Batches in flight at once. */
  concurrency: number;
}

export interface BatchWriteResult {
  itemsPerSecond: number;
  ms: number;
  /** Items DynamoDB left unprocessed and that were sent again. */
  resent: number;
}

const MAX_ROUNDS = 8;

// About the size and shape of what the emulators store (an event envelope as JSON text plus a
// few attributes), with a fresh key each time: inserts, as the emulators mostly do.
const item = (round: string, index: number) => ({
  pk: `bench#${round}#${index}`,
  sk: "item",
  kind: "bench",
  receivedAt: Date.now(),
  attempts: 0,
  event: JSON.stringify({
    version: "0",
    id: randomUUID(),
    "detail-type": "Bench Item Written",
    source: "allot.bench",
    account: "000000000000",
    time: new Date().toISOString(),
    region: "us-east-1",
    resources: [],
    detail: { round, index, note: "a payload of about the size of a small domain event" },
  }),
});

/**
 * Baseline A: raw BatchWriteItem throughput of DynamoDB Local into the runtime table, with no
 * emulator in the way. The ceiling that everything persisted locally is measured against.
 */
export const batchWriteBaseline = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: BatchWriteOptions,
): Promise<BatchWriteResult> => {
  const round = randomUUID().slice(0, 8);
  const batches: Array<Array<ReturnType<typeof item>>> = [];
  for (let i = 0; i < options.items; i += options.batchSize) {
    batches.push(
      Array.from({ length: Math.min(options.batchSize, options.items - i) }, (_, k) => item(round, i + k)),
    );
  }
  let resent = 0;
  const { ms } = await timed(() =>
    mapLimit(batches, options.concurrency, async (batch) => {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt === MAX_ROUNDS) throw new Error(`${requests.length} items still unprocessed`);
        if (attempt > 0) resent += requests.length;
        const output = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (output.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }),
  );
  return { itemsPerSecond: (options.items / ms) * 1000, ms, resent };
};
