import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { actAs, createCall, ok, submission } from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess } from "../support/runtime.js";

// The other end-to-end files share their worker's DynamoDB Local, so their kill -9 kills the
// runtime alone. This one runs `npm start` as a user does, with its own DynamoDB Local persisted
// in the data folder: a crash leaves that JVM holding its port, and the next start must stop it
// by its pid file and find the data again.

let runtime: RuntimeProcess;
beforeAll(async () => {
  runtime = await startRuntimeProcess({ ownJvm: true });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const runsDynamoDbLocal = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("DynamoDBLocal.jar");
  } catch {
    return false;
  }
};

it("after kill -9, starts again on the same ports: the orphaned JVM stopped, the data kept", async () => {
  await createCall(runtime, { callId: "e2e-restart", reviewerPool: ["rev-ada", "rev-dana"] });
  const applicant = await actAs(runtime, "ivy", "applicant");
  const draft = await ok(applicant.POST("/proposals", { body: submission("e2e-restart") }));
  const jvm = Number(readFileSync(join(runtime.dataDir, "dynamodb-local.pid"), "utf8"));

  await runtime.kill("SIGKILL");
  expect(runsDynamoDbLocal(jvm), "the JVM outlives the runtime, as after a crash").toBe(true);
  await runtime.restart();

  expect(runsDynamoDbLocal(jvm), "the orphaned JVM is stopped").toBe(false);
  const again = await actAs(runtime, "ivy", "applicant");
  expect(
    await ok(again.GET("/proposals/{proposalId}", { params: { path: { proposalId: draft.proposalId } } })),
  ).toMatchObject({
    proposalId: draft.proposalId,
    callId: "e2e-restart",
    status: "draft",
  });
}, 150_000);
