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
