// The integration project's setup file, run in each worker before each test file.
// aws-local-stepfunctions calls Promise.withResolvers (Node 22); the emulators run in these files.
import "../../packages/aws-local/src/polyfills.js";
import { inject } from "vitest";
import { PID_REGISTRY_ENV } from "../../packages/aws-local/src/dynamodb/launcher.js";

// A JVM started here (directly or by a forked runtime) is stopped by the run's teardown.
process.env[PID_REGISTRY_ENV] = inject("jvmRegistry");

// VITEST_POOL_ID runs from 1 to maxWorkers, and one worker runs one file at a time: its
// DynamoDB Local serves one file at a time too (test/support/worker-dynamodb.ts).
const endpoints = inject("dynamodbLocalEndpoints");
process.env.DYNAMODB_LOCAL_TEST_ENDPOINT =
  endpoints[(Number(process.env.VITEST_POOL_ID ?? "1") - 1) % endpoints.length];
