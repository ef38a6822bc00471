import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { backoffMs, type RetryPolicy } from "./retry.js";

/** BatchGetItem takes at most 100 keys per request. */
const KEYS_PER_REQUEST = 100;
const IN_FLIGHT = 4;
/** Keys DynamoDB leaves unprocessed (under throttling) are asked again, up to 10 attempts. */
const UNPROCESSED_RETRY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 1_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The items that exist under `keys`, read consistently: 100 keys a request, a few requests in
 * flight, and the keys DynamoDB leaves unprocessed (under throttling) asked again with backoff.
 */
export const batchGetAll = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: Array<Record<string, unknown>>,
): Promise<Array<Record<string, unknown>>> => {
  const found: Array<Record<string, unknown>> = [];
  const readChunk = async (chunk: Array<Record<string, unknown>>) => {
    let pending = chunk;
    for (let attempt = 1; pending.length; attempt++) {
      const out = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Array<Record<string, unknown>>;
      if (pending.length && attempt >= UNPROCESSED_RETRY.maxAttempts)
        throw new Error(`${pending.length} keys stayed unread`);
      if (pending.length) await sleep(backoffMs(attempt, UNPROCESSED_RETRY));
    }
  };
  const chunks: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_REQUEST) chunks.push(keys.slice(i, i + KEYS_PER_REQUEST));
  for (let i = 0; i < chunks.length; i += IN_FLIGHT)
    await Promise.all(chunks.slice(i, i + IN_FLIGHT).map(readChunk));
  return found;
};
