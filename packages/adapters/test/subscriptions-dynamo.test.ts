import { ConcurrentModification, DomainError } from "@allot/core";
import type { Subscription } from "@allot/core/webhook";
import { mainTable } from "@allot/stacks";
import { OUTBOX_PREFIX } from "@allot/stacks/streams";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDynamo, type TestDynamo } from "../../aws-local/test/support/dynamo.js";
import { dynamoSubscriptionRepository } from "../src/index.js";

// The subscription repository against DynamoDB Local: conditional writes with their outbox
// events, and the listings (by owner, all) newest first with an opaque cursor.

const table = mainTable.name;
let dynamo: TestDynamo;

const subscription = (n: number, ownerId: string): Subscription => {
  const at = new Date(Date.UTC(2026, 10, 30, 10, n)).toISOString();
  const id = `sub_${String(n).padStart(26, "0")}`;
  return {
    subscriptionId: id,
    ownerId,
    url: "https://example.org/hooks",
    pattern: { source: ["allot.awards"] },
    description: `Subscription ${n}`,
    status: "active",
    secrets: [{ secret: `whsec_${"A".repeat(43)}=`, createdAt: at }],
    ruleName: `allot-webhook-${id}`,
    createdAt: at,
    createdBy: ownerId,
    updatedAt: at,
    revision: 1,
  };
};

const event = (id: string) => ({
  source: "allot.webhooks",
  detailType: "Webhook Subscription Created",
  detail: { eventId: `webhook:${id}:created`, version: 1, occurredAt: "2026-11-30T10:00:00.000Z", data: {} },
});

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await ensureTable(dynamo.client, mainTable);
});
afterAll(async () => {
  await dynamo?.stop();
});

describe("the DynamoDB subscription repository", () => {
  it("creates once with its event, updates conditionally on the revision", async () => {
    const repo = dynamoSubscriptionRepository(dynamo.doc, table);
    const s = subscription(1, "cli_a");
    await repo.create(s, [event(s.subscriptionId)]);
    const outbox = await dynamo.doc.send(
      new GetCommand({
        TableName: table,
        Key: { pk: `${OUTBOX_PREFIX}webhook:${s.subscriptionId}:created`, sk: "OUTBOX" },
      }),
    );
    expect(outbox.Item?.detailType).toBe("Webhook Subscription Created");
    const again = await repo.create(s, []).catch((e) => e);
    expect(again).toBeInstanceOf(DomainError);
    expect(again.kind).toBe("conflict");

    await repo.update({ ...s, status: "paused", revision: 2 }, 1, []);
    expect((await repo.get(s.subscriptionId))?.status).toBe("paused");
    await expect(repo.update({ ...s, status: "active", revision: 2 }, 1, [])).rejects.toBeInstanceOf(
      ConcurrentModification,
    );
  });

  it("lists an owner's newest first, in pages; staff's listing holds every owner's", async () => {
    const repo = dynamoSubscriptionRepository(dynamo.doc, table);
    for (const n of [2, 3, 4, 5, 6]) await repo.create(subscription(n, n % 2 ? "cli_b" : "cli_c"), []);
    const first = await repo.list({ ownerId: "cli_b", limit: 1 });
    expect(first.items.map((s) => s.description)).toEqual(["Subscription 5"]);
    expect(first.cursor).toBeDefined();
    const second = await repo.list({ ownerId: "cli_b", limit: 5, cursor: first.cursor as string });
    expect(second.items.map((s) => s.description)).toEqual(["Subscription 3"]);
    expect(second.cursor).toBeUndefined();
    const all = await repo.list({ limit: 10 });
    expect(all.items.map((s) => s.description)).toEqual([6, 5, 4, 3, 2, 1].map((n) => `Subscription ${n}`));
    const bad = await repo.list({ limit: 1, cursor: "bm90LWEtY3Vyc29y" }).catch((e) => e);
    expect(bad).toBeInstanceOf(DomainError);
    expect(bad.kind).toBe("validation");
  });
});
