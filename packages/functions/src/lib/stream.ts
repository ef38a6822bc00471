import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { createLogger } from "./logger.js";
import { publishMetrics } from "./metrics.js";
import { traceInvocation } from "./tracing.js";

/** Why one item could not be handled, or undefined when it was. */
export type ItemOutcome = unknown | undefined;

// One middleware stack for stream consumers: each record that cannot be read or handled fails
// alone and is reported in `batchItemFailures` (the mapping sets ReportBatchItemFailures), so
// the stream retries from it instead of redoing, or holding up, the whole batch. The items are
// still handled together (one PutEvents per ten events, one write per award), which is why
// Powertools' processor reports the outcomes rather than running a handler per record.
export const onStreamRecords = <Item>(
  serviceName: string,
  options: {
    /** The item a new image holds, or undefined to skip the record; throws for a malformed one. */
    itemOf: (image: Record<string, unknown>, record: DynamoDBRecord) => Item | undefined;
    /** Handles the items; one outcome per item, in order. */
    handle: (items: Item[], logger: Logger) => Promise<ItemOutcome[]>;
  },
) => {
  const logger = createLogger(serviceName);
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(traceInvocation())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .handler(async (event, context) => {
      if (!event.Records?.length) return { batchItemFailures: [] };
      const failures = new Map<string, unknown>();
      const read: Array<{ id: string; item: Item }> = [];
      for (const record of event.Records) {
        const id = record.dynamodb?.SequenceNumber ?? "";
        const image = record.dynamodb?.NewImage;
        try {
          const item = image
            ? options.itemOf(unmarshall(image as Record<string, AttributeValue>), record)
            : undefined;
          if (item !== undefined) read.push({ id, item });
        } catch (error) {
          failures.set(id, error);
        }
      }
      const outcomes = read.length
        ? await options.handle(
            read.map((r) => r.item),
            logger,
          )
        : [];
      read.forEach(({ id }, index) => {
        if (outcomes[index] !== undefined) failures.set(id, outcomes[index]);
      });
      return processPartialResponse(
        event,
        async (record: DynamoDBRecord) => {
          const failure = failures.get(record.dynamodb?.SequenceNumber ?? "");
          if (failure === undefined) return;
          logger.warn("stream record failed", {
            sequenceNumber: record.dynamodb?.SequenceNumber,
            error: failure as Error,
          });
          throw failure instanceof Error ? failure : new Error(String(failure));
        },
        new BatchProcessor(EventType.DynamoDBStreams),
        { context },
      );
    });
};
