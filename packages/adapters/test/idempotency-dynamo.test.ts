import { mainTable } from "@allot/stacks";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  racingDocumentClient,
  startTestDynamo,
  type TestDynamo,
} from "../../aws-local/test/support/dynamo.js";
import { dynamoIdempotencyStore } from "../src/index.js";

const now = new Date("2026-11-30T10:00:00Z");
const later = (ms: number) => new Date(now.getTime() + ms);
const scope = (key: string) => ({ actorId: "sam", route: "POST /awards/{awardId}/top-up", key });

let dynamo: TestDynamo;
let store: ReturnType<typeof dynamoIdempotencyStore>;
beforeAll(async () => {
  dynamo = await startTestDynamo();
  await ensureTable(dynamo.client, mainTable);
  store = dynamoIdempotencyStore(racingDocumentClient(dynamo).doc, mainTable.name);
}, 60_000);
afterAll(async () => {
  await dynamo?.stop();
});

describe("idempotency keys on DynamoDB Local", () => {
  it("lets exactly one of concurrent duplicates run; the others are told it is in progress", async () => {
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => store.claim(scope("k-race"), "fp", now)),
    );
    expect(claims.filter((c) => c.kind === "run")).toHaveLength(1);
    expect(claims.filter((c) => c.kind === "in_progress")).toHaveLength(7);
  });

  it("replays the stored answer for the same request, and refuses the key for another", async () => {
    expect(await store.claim(scope("k-replay"), "fp-a", now)).toEqual({ kind: "run" });
    await store.complete(scope("k-replay"), "fp-a", { status: 200, body: { held: { creditsCents: 7 } } });
    expect(await store.claim(scope("k-replay"), "fp-a", later(1))).toEqual({
      kind: "replay",
      response: { status: 200, body: { held: { creditsCents: 7 } } },
    });
    expect(await store.claim(scope("k-replay"), "fp-b", later(1))).toEqual({ kind: "mismatch" });
    // Another actor's key of the same text is another key.
    expect(await store.claim({ ...scope("k-replay"), actorId: "kim" }, "fp-b", later(1))).toEqual({
      kind: "run",
    });
  });

  it("runs again after a released claim, and takes over a claim whose run crashed", async () => {
    await store.claim(scope("k-released"), "fp", now);
    await store.release(scope("k-released"), "fp");
    expect(await store.claim(scope("k-released"), "fp", later(1))).toEqual({ kind: "run" });

    await store.claim(scope("k-crashed"), "fp", now);
    expect(await store.claim(scope("k-crashed"), "fp", later(1_000))).toEqual({ kind: "in_progress" });
    expect(await store.claim(scope("k-crashed"), "other", later(120_000))).toEqual({ kind: "mismatch" });
    expect(await store.claim(scope("k-crashed"), "fp", later(120_000))).toEqual({ kind: "run" });
  });

  it("forgets a key after its retention", async () => {
    await store.claim(scope("k-old"), "fp", now);
    await store.complete(scope("k-old"), "fp", { status: 200, body: {} });
    expect(await store.claim(scope("k-old"), "another", later(25 * 3600 * 1000))).toEqual({ kind: "run" });
  });
});
