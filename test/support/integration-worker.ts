// The integration project's setup file, run in each worker before each test file.
// aws-local-stepfunctions calls Promise.withResolvers (Node 22); the emulators run in these files.
import "../../packages/local/src/polyfills.js";
import { existsSync, readFileSync } from "node:fs";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { localClientConfig } from "../../packages/local/src/aws-config.js";
import { startFailureFile } from "./jvm-registry.js";

// A JVM started here (directly or by a forked runtime) is stopped by the run's teardown.
const registry = inject("jvmRegistry");
process.env.ALLOT_JVM_PID_REGISTRY = registry;

// VITEST_POOL_ID runs from 1 to maxWorkers, and one worker runs one file at a time: its
// DynamoDB Local serves one file at a time too.
const endpoints = inject("dynamodbLocalEndpoints");
const endpoint = endpoints[(Number(process.env.VITEST_POOL_ID ?? "1") - 1) % endpoints.length] ?? "";
process.env.ALLOT_TEST_DYNAMODB_ENDPOINT = endpoint;

// The global setup does not wait for the JVMs; the first file on each worker does.
const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
try {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const failure = startFailureFile(registry, endpoint);
    if (existsSync(failure)) throw new Error(readFileSync(failure, "utf8"));
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`this worker's DynamoDB Local did not answer on ${endpoint}: ${error}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
} finally {
  client.destroy();
}
