import { defineConfig } from "vitest/config";

// Integration suites each start their own DynamoDB Local (a JVM) on free ports; on a
// 2-core machine more than two at once only makes every one of them slower.
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "stacks/test/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: ["packages/aws-local/src/polyfills.ts"],
    // Stops every DynamoDB Local JVM the run started, even those whose starter was killed.
    globalSetup: ["test/support/jvm-registry.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    // The SDK's notice that its 2027 releases need Node 22 is for people, not for test logs
    // (engines and the README say so); npm start still shows it.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    hookTimeout: 60_000,
  },
});
