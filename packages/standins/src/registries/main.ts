import { createLogger, logSettings } from "aws-local";
import { startRegistriesStandIn } from "./index.js";

// The registries stand-in on its own, as a separate process (it needs no database):
// ALLOT_REGISTRIES_PORT (default 4601) and ALLOT_HOST from the environment.
const logger = createLogger({
  ...logSettings(process.env.ALLOT_LOG_LEVEL, process.env.ALLOT_LOG_FORMAT),
  base: { service: "registries-stand-in" },
});
const rawPort = process.env.ALLOT_REGISTRIES_PORT;
const port = rawPort ? Number(rawPort) : 4601;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  logger.error(`ALLOT_REGISTRIES_PORT must be a port number, got "${rawPort}"`);
  process.exit(1);
}
const standIn = await startRegistriesStandIn({
  host: process.env.ALLOT_HOST ?? "127.0.0.1",
  port,
  logger,
}).catch((error: unknown) => {
  logger.error("the registries stand-in could not start", {
    error: String((error as Error)?.message ?? error),
  });
  process.exit(1);
});
// Tell a parent process (tests, scripts) that the port answers now.
if (process.send) process.send({ ready: true, url: standIn.url });

const shutdown = async (signal: string) => {
  logger.info("stopping", { signal });
  await standIn.stop();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
