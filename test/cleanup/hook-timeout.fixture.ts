import { afterAll, beforeAll, it } from "vitest";
import { startTestDynamo, type TestDynamo } from "../../packages/aws-local/test/support/dynamo.js";

// Run only by jvm-cleanup.test.ts, in its own vitest: a beforeAll that times out while its
// own DynamoDB Local is still starting, the way a loaded machine makes it happen.
let dynamo: TestDynamo | undefined;
beforeAll(
  async () => {
    dynamo = await startTestDynamo({ ownJvm: true });
  },
  Number(process.env.FIXTURE_HOOK_TIMEOUT_MS ?? 500),
);
afterAll(async () => {
  await dynamo?.stop();
});

it("never runs: its hook timed out", () => {});
