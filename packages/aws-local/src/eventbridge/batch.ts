import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mapLimit, sleep } from "./limit.js";

/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;
const MAX_ROUNDS = 8;

export interface TaggedItem<T> {
  tag: T;
  item: object;
}

/**
 * Puts items 25 at a time, a few batches in parallel, re-sending what DynamoDB leaves
 * unprocessed. BatchWriteItem is not atomic: the answer is the set of tags some of whose
 * items may not have been written, so that the caller can fail exactly those.
 */
export const batchPut = async <T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: TaggedItem<T>[],
  parallel = 4,
): Promise<{ failed: Set<T>; errors: unknown[] }> => {
  const failed = new Set<T>();
  const errors: unknown[] = [];
  const chunks: TaggedItem<T>[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) chunks.push(items.slice(i, i + BATCH_SIZE));
  await mapLimit(chunks, parallel, async (chunk) => {
    try {
      await writeChunk(
        doc,
        tableName,
        chunk.map((c) => c.item),
      );
    } catch (error) {
      errors.push(error);
      for (const c of chunk) failed.add(c.tag);
    }
  });
  return { failed, errors };
};

const writeChunk = async (doc: DynamoDBDocumentClient, tableName: string, items: object[]) => {
  let requests = items.map((Item) => ({ PutRequest: { Item: Item as Record<string, unknown> } }));
  for (let round = 0; requests.length > 0; round++) {
    if (round === MAX_ROUNDS)
      throw new Error(`DynamoDB left ${requests.length} items unprocessed ${MAX_ROUNDS} times`);
    if (round > 0) await sleep(20 * 2 ** round);
    const output = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
    requests = (output.UnprocessedItems?.[tableName] ?? []) as typeof requests;
  }
};

export type BatchWriter = <T>(items: TaggedItem<T>[]) => Promise<{ failed: Set<T>; errors: unknown[] }>;

/**
 * batchPut shared by many callers: while `parallel` writes are under way, what callers hand
 * over waits and then goes out together, up to 25 items per BatchWriteItem. A caller waits no
 * longer than the writes ahead of it, and DynamoDB Local spends more on a request than on an
 * item in it.
 */
export const createBatchWriter = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  parallel = 4,
): BatchWriter => {
  interface Waiting {
    items: TaggedItem<unknown>[];
    resolve(result: { failed: Set<unknown>; errors: unknown[] }): void;
  }
  const waiting: Waiting[] = [];
  let writing = 0;
  const drain = () => {
    while (writing < parallel && waiting.length > 0) {
      const group: Waiting[] = [];
      let count = 0;
      for (let next = waiting[0]; next; next = waiting[0]) {
        if (group.length > 0 && count + next.items.length > BATCH_SIZE) break;
        waiting.shift();
        group.push(next);
        count += next.items.length;
      }
      writing++;
      const tagged = group.flatMap((caller) =>
        caller.items.map(({ tag, item }) => ({ tag: { caller, tag }, item })),
      );
      void batchPut(doc, tableName, tagged, parallel)
        .then(async ({ failed, errors }) => {
          for (const caller of group) {
            const mine = [...failed].filter((f) => f.caller === caller).map((f) => f.tag);
            // DynamoDB refuses a whole request for one bad item: a caller is not failed for another's.
            if (mine.length > 0 && group.length > 1)
              caller.resolve(await batchPut(doc, tableName, caller.items, parallel));
            else caller.resolve({ failed: new Set(mine), errors: mine.length > 0 ? errors : [] });
          }
        })
        .finally(() => {
          writing--;
          drain();
        });
    }
  };
  return <T>(items: TaggedItem<T>[]) =>
    new Promise<{ failed: Set<T>; errors: unknown[] }>((resolve) => {
      waiting.push({ items, resolve: resolve as Waiting["resolve"] });
      drain();
    });
};
