import "./node-support.js";
import "./telemetry-off.js";
import "aws-local/polyfills";
import { createLogger, logSettings } from "aws-local";
import { configFromEnv } from "./config.js";
import { startRuntime } from "./runtime.js";

const logger = createLogger(logSettings(process.env.ALLOT_LOG_LEVEL, process.env.ALLOT_LOG_FORMAT));
const started = Date.now();
const runtime = await startRuntime({ ...configFromEnv(), logger }).catch((error) => {
  logger.error("Allot could not start", { error: String(error?.message ?? error) });
  process.exit(1);
});

logger.info(`Allot is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`, {
  data: runtime.dataDir,
});
process.stderr.write(
  [
    "",
    `  HTTP API          ${runtime.endpoints.http}   (GET /openapi.json)`,
    `  AWS edge          ${runtime.endpoints.edge}   (EventBridge, Step Functions, Lambda)`,
    `  DynamoDB Local    ${runtime.endpoints.dynamodb}`,
    `  Provider stand-in ${runtime.endpoints.provider}   (AMIE-shaped compute provider; POST /admin/faults)`,
    `  Registries        ${runtime.endpoints.registries}   (Crossref, DataCite, arXiv, GitHub stand-in; /_admin)`,
    "",
    `  Token:            npx allot token --sub alice --role applicant`,
    `  SDK clients:      AWS_ENDPOINT_URL=${runtime.endpoints.edge} AWS_ENDPOINT_URL_DYNAMODB=${runtime.endpoints.dynamodb} AWS_REGION=us-east-1`,
    "  Stop:             Ctrl-C",
    "",
  ].join("\n"),
);
// Tell a parent process (tests, scripts) that every port answers now.
if (process.send) process.send({ ready: true, endpoints: runtime.endpoints });

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info("stopping", { signal });
  await runtime.stop();
  logger.info("stopped");
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
// A parent that started this runtime over IPC (a test) and went away, however it died, takes
// the runtime and its DynamoDB Local with it instead of leaving them holding the ports.
process.on("disconnect", () => void shutdown("parent gone"));
