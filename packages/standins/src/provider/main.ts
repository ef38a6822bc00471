import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createLogger, localClientConfig, logSettings } from "aws-local";
import { providerStandInConfigFromEnv } from "./config.js";
import { startProviderStandIn } from "./index.js";

// The stand-in on its own, as a separate process (ALLOT_PROVIDER_* and the DynamoDB endpoint
// from the environment, see ./config.ts); DynamoDB must already be running.
const logger = createLogger({
  ...logSettings(process.env.ALLOT_LOG_LEVEL, process.env.ALLOT_LOG_FORMAT),
  base: { service: "provider-stand-in" },
});
let config: ReturnType<typeof providerStandInConfigFromEnv>;
try {
  config = providerStandInConfigFromEnv();
} catch (error) {
  logger.error(String((error as Error).message));
  process.exit(1);
}
const client = new DynamoDBClient(localClientConfig(config.dynamoEndpoint, config.dynamoAccessKey));
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
const standIn = await startProviderStandIn({ ...config, doc, logger }).catch((error: unknown) => {
  logger.error("the provider stand-in could not start", {
    error: String((error as Error)?.message ?? error),
  });
  process.exit(1);
});
// Tell a parent process (tests, scripts) that the port answers now.
if (process.send) process.send({ ready: true, url: standIn.url });

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info("stopping", { signal });
  await standIn.stop();
  client.destroy();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
