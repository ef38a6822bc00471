import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { LOCAL_TELEMETRY_ENV } from "./packages/local/src/local-telemetry.js";

const testFiles = ["packages/*/test/**/*.test.ts", "stacks/test/**/*.test.ts", "test/**/*.test.ts"];

// The tests that need DynamoDB Local (directly, or inside a runtime they fork); the others in
// these folders are pure. Every other test file is a unit test, and a unit test that reaches
// DynamoDB Local fails: the launcher refuses without the integration project's pid registry.
const integrationFiles = [
  "packages/adapters/test/**/!(provider-http|provider-signature|keys|retry|transact|contracts-memory|verification-*).test.ts",
  "packages/{local,aws-local}/test/**/!(eventbridge-pattern).test.ts",
  "packages/standins/test/**/*.test.ts",
  "test/{e2e,fuzz,cleanup}/**/*.test.ts",
];

const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // The SDK's notice that its 2027 releases need Node 22 is for people, not for test logs
  // (engines and the README say so). Tests run outside Lambda, as the local runtime does: no
  // tracing or metrics, and the X-Ray SDK without its process-wide async hook.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...LOCAL_TELEMETRY_ENV },
};

// Pure tests in worker threads of one process: no process to fork per file.
export const unit: TestProjectInlineConfiguration = {
  test: {
    ...shared,
    name: "unit",
    include: testFiles,
    exclude: integrationFiles,
    pool: "threads",
    isolate: false,
    maxWorkers: 2,
  },
};

// On a 2-core machine more than two JVM-backed files at once only makes every one of them
// slower. One DynamoDB Local per worker, started once by the global setup; each file gets a
// database of its own on it (test/support/worker-dynamodb.ts).
export const integration: TestProjectInlineConfiguration = {
  test: {
    ...shared,
    name: "integration",
    include: integrationFiles,
    setupFiles: ["test/support/integration-worker.ts"],
    // Stops every DynamoDB Local JVM the run started, even those whose starter was killed.
    globalSetup: ["test/support/jvm-registry.ts"],
    pool: "forks",
    maxWorkers: 2,
  },
};

export default defineConfig({ test: { projects: [unit, integration] } });
