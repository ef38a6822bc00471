import { ConcurrentModification } from "@allot/core";
import { type Delivery, deliveryIdFor, startCycle } from "@allot/core/webhook";
import { mainTable } from "@allot/stacks";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  racingDocumentClient,
  startTestDynamo,
  type TestDynamo,
} from "../../aws-local/test/support/dynamo.js";
import { dynamoDeliveryRepository } from "../src/index.js";

let dynamo: TestDynamo;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await ensureTable(dynamo.client, mainTable);
  ({ client, doc } = racingDocumentClient(dynamo));
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
});

const subscriptionId = "sub_01jd3q0c5y8w2t6r4p9m7k1h3f";
const delivery = (
  eventId: string,
  createdAt: string,
  status: Delivery["status"],
  nextAttemptAt?: string,
): Delivery => ({
  deliveryId: deliveryIdFor(subscriptionId, eventId),
  subscriptionId,
  ownerId: "cli_billing",
  eventId,
  eventType: "Award Activated",
  body: "{}",
  status,
  createdAt,
  ...(nextAttemptAt ? { nextAttemptAt } : {}),
  cycleAttempts: 0,
  attemptCount: 0,
  attempts: [],
  updatedAt: createdAt,
  revision: 1,
});

describe("the DynamoDB delivery log", () => {
  it("creates once, updates on the revision read, lists newest first, reads due and held", async () => {
    const repo = dynamoDeliveryRepository(doc, mainTable.name);
    const a = delivery("e1", "2026-11-30T10:00:00.000Z", "pending", "2026-11-30T10:00:05.000Z");
    const b = delivery("e2", "2026-11-30T10:01:00.000Z", "held");
    const c = delivery("e3", "2026-11-30T10:02:00.000Z", "held");
    const later = delivery("e4", "2026-11-30T10:03:00.000Z", "pending", "2026-11-30T11:00:00.000Z");
    for (const d of [a, b, c, later]) expect(await repo.createIfAbsent(d)).toBe(true);
    expect(await repo.createIfAbsent(a)).toBe(false);

    const due = await repo.due(new Date("2026-11-30T10:30:00.000Z"), 10);
    expect(due.map((d) => d.eventId)).toEqual(["e1"]);
    expect((await repo.held(subscriptionId, 10)).map((d) => d.eventId)).toEqual(["e2", "e3"]);
    const page = await repo.listBySubscription({ subscriptionId, limit: 3 });
    expect(page.items.map((d) => d.eventId)).toEqual(["e4", "e3", "e2"]);
    const next = await repo.listBySubscription({ subscriptionId, limit: 3, cursor: page.cursor });
    expect(next.items.map((d) => d.eventId)).toEqual(["e1"]);

    // A delivered one leaves the due index; a stale revision is refused.
    await repo.update({ ...a, status: "delivered", nextAttemptAt: undefined, revision: 2 }, 1);
    expect(await repo.due(new Date("2026-11-30T12:00:00.000Z"), 10)).toEqual([
      expect.objectContaining({ eventId: "e4" }),
    ]);
    await expect(repo.update({ ...a, revision: 2 }, 1)).rejects.toBeInstanceOf(ConcurrentModification);
    const released = startCycle(b, new Date("2026-11-30T12:00:00.000Z"));
    await repo.update(released, 1);
    expect((await repo.get(b.deliveryId))?.status).toBe("pending");
    expect((await repo.held(subscriptionId, 10)).map((d) => d.eventId)).toEqual(["e3"]);
  });
});
