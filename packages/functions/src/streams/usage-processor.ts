import { storedUsageFromItem } from "@allot/adapters";
import { processUsage } from "@allot/core/usage";
import { Logger } from "@aws-lambda-powertools/logger";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { usageDeps } from "../lib/deps-usage.js";

const logger = new Logger({ serviceName: "allot-usage" });

// The subscription's filter (stacks/src/streams.ts) lets only new USAGE#…/RECORD items
// through. A failure throws and the batch is redelivered whole: the per-record markers make
// the records already counted no-ops, so a retry never counts twice.
export const handler = middy<DynamoDBStreamEvent, void>().handler(async (event) => {
  const records = event.Records.flatMap((record) => {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== "INSERT" || !image) return [];
    const item = unmarshall(image as Record<string, AttributeValue>);
    return item.sk === "RECORD" ? [storedUsageFromItem(item)] : [];
  });
  if (!records.length) return;
  const result = await processUsage(usageDeps(), records);
  logger.debug("usage applied", { ...result });
});
