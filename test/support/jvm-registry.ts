import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killStale, PID_REGISTRY_ENV } from "../../packages/aws-local/src/dynamodb/launcher.js";

// vitest's global setup: every DynamoDB Local a test run starts (directly, or inside a runtime
// it forks) records its pid in one folder, and the teardown stops each JVM still alive by that
// pid — whatever happened to the worker or the runtime that started it (a timed-out hook, a
// crash, kill -9). killStale checks the pid still runs DynamoDBLocal.jar before it kills.
export default function setup() {
  const registry = mkdtempSync(join(tmpdir(), "allot-jvm-pids-"));
  process.env[PID_REGISTRY_ENV] = registry;
  return () => {
    for (const file of readdirSync(registry)) killStale(join(registry, file));
    rmSync(registry, { recursive: true, force: true });
  };
}
