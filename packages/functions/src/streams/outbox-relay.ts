import { eventFromOutboxItem, publishEvents } from "@allot/adapters";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { busName, eventBridge } from "../lib/deps.js";

// The stream subscription's filter (stacks/src/streams.ts) only lets new outbox items through.
// A failure throws so the whole batch is retried: consumers see a duplicate, never a gap.
export const handler = middy<DynamoDBStreamEvent, void>().handler(async (event) => {
  const events = event.Records.flatMap((record) =>
    record.dynamodb?.NewImage
      ? [eventFromOutboxItem(unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>))]
      : [],
  );
  if (events.length) await publishEvents(eventBridge(), busName(), events);
});
