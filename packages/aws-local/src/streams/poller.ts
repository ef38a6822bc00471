import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { LOCAL_REGION } from "../aws-config.js";
import type { StreamSubscriptionSpec } from "../config.js";
import { compilePattern } from "../eventbridge/pattern/index.js";
import type { LambdaInvoker } from "../lambda/invoker.js";
import type { Logger } from "../logger.js";

/**
 * Lambda's DynamoDB event-source mapping, locally: polls the table's stream, applies the
 * subscription's filter, invokes the function with batches, and checkpoints the last
 * sequence number per shard in the runtime table, so a restart neither skips nor (beyond the
 * batch in flight) repeats records. A failing batch is retried with backoff and holds its
 * shard, as the real mapping does: order within a shard is kept. A function that answers
 * `batchItemFailures` (ReportBatchItemFailures) has the stream checkpointed before the first
 * failed record, and that record and those after it are delivered again; an identifier that is
 * not in the batch fails the batch whole, as on AWS.
 */
export const startStreamPoller = (options: {
  subscription: StreamSubscriptionSpec;
  streamArn: string;
  streamsClient: DynamoDBStreamsClient;
  doc: DynamoDBDocumentClient;
  runtimeTable: string;
  lambda: LambdaInvoker;
  logger: Logger;
  intervalMs?: number;
}) => {
  const { subscription, streamArn, streamsClient } = options;
  const filter = compilePattern(subscription.filter);
  const interval = options.intervalMs ?? 100;
  const iterators = new Map<string, string | null>();
  const failures = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;

  const checkpointKey = (shardId: string) => ({ pk: `STREAM#${subscription.name}`, sk: `SHARD#${shardId}` });

  const iteratorFor = async (shard: Shard) => {
    const { Item } = await options.doc.send(
      new GetCommand({
        TableName: options.runtimeTable,
        Key: checkpointKey(shard.ShardId as string),
        ConsistentRead: true,
      }),
    );
    const out = await streamsClient.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ...(Item?.sequenceNumber
          ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: Item.sequenceNumber as string }
          : { ShardIteratorType: "TRIM_HORIZON" }),
      }),
    );
    return out.ShardIterator ?? null;
  };

  const checkpoint = (shardId: string, sequenceNumber: string) =>
    options.doc.send(
      new PutCommand({
        TableName: options.runtimeTable,
        Item: { ...checkpointKey(shardId), sequenceNumber, at: new Date().toISOString() },
      }),
    );

  const firstFailedOf = (
    batch: Array<{ dynamodb?: { SequenceNumber?: string } }>,
    payload: unknown,
  ): number | undefined => {
    const failures = (payload as { batchItemFailures?: Array<{ itemIdentifier?: unknown }> } | null)
      ?.batchItemFailures;
    if (!Array.isArray(failures) || !failures.length) return undefined;
    const positions = failures.map((f) =>
      batch.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier),
    );
    return positions.includes(-1) ? 0 : Math.min(...positions);
  };

  const deliver = async (shardId: string, records: _Record[]) => {
    const matching = records.filter((r) => filter.matches(JSON.parse(JSON.stringify(r))));
    for (let i = 0; i < matching.length; i += subscription.batchSize) {
      const batch = matching.slice(i, i + subscription.batchSize).map((r) => ({
        ...r,
        eventSourceARN: streamArn,
        awsRegion: LOCAL_REGION,
        eventSource: "aws:dynamodb",
        dynamodb: {
          ...r.dynamodb,
          ApproximateCreationDateTime:
            r.dynamodb?.ApproximateCreationDateTime instanceof Date
              ? r.dynamodb.ApproximateCreationDateTime.getTime() / 1000
              : r.dynamodb?.ApproximateCreationDateTime,
        },
      }));
      const result = await options.lambda.invoke(subscription.function, { Records: batch });
      if (!result.ok) throw new Error(`${result.errorType}: ${result.errorMessage}`);
      const firstFailed = firstFailedOf(batch, result.payload);
      if (firstFailed !== undefined) {
        const failed = batch[firstFailed]?.dynamodb?.SequenceNumber;
        const before = records[records.findIndex((r) => r.dynamodb?.SequenceNumber === failed) - 1];
        if (before?.dynamodb?.SequenceNumber) await checkpoint(shardId, before.dynamodb.SequenceNumber);
        throw new Error(`${subscription.function} reported failed records from ${failed}`);
      }
    }
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) await checkpoint(shardId, last);
  };

  const pollShard = async (shard: Shard) => {
    const shardId = shard.ShardId as string;
    if (!iterators.has(shardId)) iterators.set(shardId, await iteratorFor(shard));
    for (let pages = 0; pages < 10; pages++) {
      const iterator = iterators.get(shardId);
      if (!iterator) return;
      let out: GetRecordsCommandOutput;
      try {
        out = await streamsClient.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (error) {
        // An expired or trimmed iterator is replaced from the checkpoint on the next poll.
        iterators.delete(shardId);
        if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) return;
        throw error;
      }
      const records = out.Records ?? [];
      if (records.length) {
        try {
          await deliver(shardId, records);
          failures.delete(shardId);
        } catch (error) {
          const attempt = (failures.get(shardId) ?? 0) + 1;
          failures.set(shardId, attempt);
          options.logger.warn("stream batch failed; retrying", {
            subscription: subscription.name,
            shardId,
            attempt,
            error: String(error),
          });
          // Re-read from the checkpoint next time: the batch is retried whole.
          iterators.delete(shardId);
          await new Promise((r) => setTimeout(r, Math.min(30_000, 100 * 2 ** attempt)));
          return;
        }
      }
      iterators.set(shardId, out.NextShardIterator ?? null);
      if (!records.length) return;
    }
  };

  const pollOnce = async () => {
    const described = await streamsClient.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      if (stopped) return;
      await pollShard(shard);
    }
  };

  const loop = async () => {
    while (!stopped) {
      try {
        await pollOnce();
      } catch (error) {
        if (!stopped)
          options.logger.warn("stream poll failed", {
            subscription: subscription.name,
            error: String(error),
          });
      }
      if (stopped) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, interval);
      });
    }
  };
  running = loop();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await running;
    },
  };
};
