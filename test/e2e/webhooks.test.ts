import { DiagnosticSeverity, Parser } from "@asyncapi/parser";
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deterministicId } from "../../packages/core/src/ids.js";
import { actAs, activeAward, newOperation, ok, openCall, outboxMessages } from "../support/allot.js";
import { api, type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";
import { type Receipt, type Receiver, startReceiver, verifies } from "../support/webhook-receiver.js";

// Issue 12's "done when", on the real local stack and through the HTTP API only: staff create an
// integration client, the integration gets its token by client credentials, subscribes a
// receiver written only against the Standard Webhooks library, and a proposal's life, an outage,
// a secret rotation, a replay and an automatic disable with its resume all reach it as they
// should. An AWS-native subscriber (the AWS SDK against the edge) gets the same bus events through
// an API destination, and is the independent record of what the bus carried.

const PROGRAM = "e2e-webhooks";
const CALL = "e2e-webhooks-call";
const CONTACT = "integrations@billing-partner.example";
/** The retry schedule after the first attempt, in seconds: five attempts in about five seconds. */
const RETRY_SCHEDULE = "1,1,1,2";
/** The deliver function's sweep of due retries (a `rate(1 minute)` schedule in stacks/). */
const RETRY_SWEEP = "retry-webhook-deliveries";

/** What subscription A wants: some of an award's life, not all of it (not Provisioning Requested). */
const AWARD_TYPES = ["Award Offered", "Award Accepted", "Credits Provisioned", "Award Extended"];

let runtime: RuntimeProcess;
let receiver: Receiver;
let sweeping: NodeJS.Timeout | undefined;
let integration: ReturnType<typeof api>;
let clientId: string;

beforeAll(async () => {
  runtime = await startRuntimeProcess({ env: { ALLOT_WEBHOOK_RETRY_SCHEDULE: RETRY_SCHEDULE } });
  receiver = await startReceiver();
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: PROGRAM,
        name: "Webhooks test program",
        pools: { cashCents: 30_000_000, creditsCents: 100_000_000 },
        caps: {
          maxGrantCashCents: 20_000_000,
          maxGrantCreditsCents: 40_000_000,
          maxPartnerCreditsCents: 90_000_000,
        },
        cluster: { chips: 1_000 },
        creditRate: { centsPerChipHour: 200 },
      },
    }),
  );
  await openCall(staff, {
    programId: PROGRAM,
    callId: CALL,
    title: "Webhooks e2e call",
    reviewerPool: ["rev-ada"],
  });
  // The retry sweep runs every minute; here it runs every second, as if minutes passed, so
  // a retry schedule of seconds is kept. Its answer does not matter: a sweep finds what is due.
  sweeping = setInterval(() => {
    void fetch(`${runtime.edge}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AwsLocalAdmin.RunSchedule" },
      body: JSON.stringify({ name: RETRY_SWEEP }),
    }).catch(() => undefined);
  }, 1_000);
}, 180_000);
afterAll(async () => {
  if (sweeping) clearInterval(sweeping);
  await receiver?.close();
  await runtime?.stop();
});

/** A webhook body: the event in the catalog's envelope. */
interface Envelope {
  type: string;
  source: string;
  version: number;
  eventId: string;
  timestamp: string;
  correlationId?: string;
  data: Record<string, unknown>;
}
const envelope = (receipt: Receipt) => JSON.parse(receipt.body) as Envelope;
const webhookId = (receipt: Receipt) => receipt.headers["webhook-id"] as string;

/** The receipts at a path for one award's events, optionally of one type. */
const receiptsFor = (path: string, awardId: string, type?: string) =>
  receiver.receipts(path).filter((r) => {
    const body = envelope(r);
    return body.data.awardId === awardId && (!type || body.type === type);
  });

/** The bus events the AWS-native subscriber got (the raw EventBridge envelope). */
interface BusEvent {
  "detail-type": string;
  source: string;
  detail: { eventId: string; data: Record<string, unknown> };
}
const NATIVE = "/native/awards";
const busEvents = (awardId: string) =>
  receiver
    .receipts(NATIVE)
    .map((r) => JSON.parse(r.body) as BusEvent)
    .filter((e) => e.detail.data.awardId === awardId);

const staffApi = async () => api(runtime.http, await runtime.token("sam", "staff"));
const operation = () => newOperation();

const subscribe = async (path: string, pattern: unknown, description: string) => {
  const created = await integration(
    "POST",
    "/webhooks/subscriptions",
    { url: receiver.url(path), pattern, description },
    operation(),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const { subscription, secret } = created.body as {
    subscription: { subscriptionId: string; status: string };
    secret: string;
  };
  expect(secret).toMatch(/^whsec_/);
  expect(subscription.status).toBe("active");
  expect(JSON.stringify(subscription)).not.toContain(secret);
  receiver.trust(path, secret);
  return { id: subscription.subscriptionId, secret };
};

const extend = async (awardId: string) => {
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/awards/{awardId}/extend", {
      params: { path: { awardId }, header: operation() },
      body: { months: 1, reason: "a webhook test needs an event" },
    }),
  );
};

/** The Award Extended events of an award the receiver got at a path, newest last. */
const extensions = (path: string, awardId: string) => receiptsFor(path, awardId, "Award Extended");

const subscriptionOf = async (id: string) => {
  const got = await integration("GET", `/webhooks/subscriptions/${id}`);
  expect(got.status).toBe(200);
  return got.body as { status: string; secretsActive?: number };
};

interface Attempt {
  at: string;
  statusCode?: number;
  error?: string;
  latencyMs: number;
  nextAttemptAt?: string;
}
interface Delivery {
  deliveryId: string;
  status: string;
  attempts: Attempt[];
  nextAttemptAt?: string;
}
const deliveryOf = async (subscriptionId: string, deliveryId: string) => {
  const got = await integration("GET", `/webhooks/subscriptions/${subscriptionId}/deliveries/${deliveryId}`);
  expect(got.status, JSON.stringify(got.body)).toBe(200);
  return got.body as Delivery;
};

// State shared by the steps, in order: one runtime, one story.
const A = "/hooks/a";
const B = "/hooks/b";
let subA: { id: string; secret: string };
let subB: { id: string; secret: string };
let awardId: string;
let lifeStarted: string;
let lifeEnded: string;

describe("webhooks, end to end", () => {
  it("staff create an integration client; it gets a token by client credentials, scoped", async () => {
    const staff = await staffApi();
    const created = await staff(
      "POST",
      "/integrations/clients",
      {
        name: "Billing partner",
        contactEmail: CONTACT,
        scopes: ["events:subscribe", "events:read", "usage:write"],
      },
      operation(),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    clientId = created.body.client.clientId;
    const clientSecret: string = created.body.clientSecret;
    expect(clientId).toMatch(/^cli_/);
    expect(JSON.stringify(created.body.client)).not.toContain(clientSecret);

    const token = async (scope?: string) => {
      const response = await fetch(`${runtime.http}/oauth2/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toContain("no-store");
      const body = (await response.json()) as { access_token: string; token_type: string; scope: string };
      expect(body.token_type).toBe("Bearer");
      return body;
    };
    const full = await token();
    expect(full.scope.split(" ").sort()).toEqual(["events:read", "events:subscribe", "usage:write"]);
    integration = api(runtime.http, full.access_token);

    // A token narrowed to usage:write cannot subscribe: the route wants events:subscribe.
    const narrow = api(runtime.http, (await token("usage:write")).access_token);
    const refused = await narrow(
      "POST",
      "/webhooks/subscriptions",
      { url: receiver.url(A), pattern: { source: ["allot.awards"] }, description: "refused" },
      operation(),
    );
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("events:subscribe");
  });

  it("an AWS-native subscriber puts a connection, an API destination, a rule and a target on the local bus", async () => {
    const events = new EventBridgeClient({
      endpoint: runtime.edge,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const connection = await events.send(
      new CreateConnectionCommand({
        Name: "partner-analytics",
        AuthorizationType: "API_KEY",
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "x-api-key", ApiKeyValue: "partner-key" } },
      }),
    );
    const destination = await events.send(
      new CreateApiDestinationCommand({
        Name: "partner-analytics-awards",
        ConnectionArn: connection.ConnectionArn,
        InvocationEndpoint: receiver.url(NATIVE),
        HttpMethod: "POST",
      }),
    );
    await events.send(
      new PutRuleCommand({
        Name: "partner-analytics-awards",
        EventBusName: "allot",
        EventPattern: JSON.stringify({ source: ["allot.awards"] }),
        State: "ENABLED",
      }),
    );
    const targets = await events.send(
      new PutTargetsCommand({
        Rule: "partner-analytics-awards",
        EventBusName: "allot",
        Targets: [{ Id: "analytics", Arn: destination.ApiDestinationArn }],
      }),
    );
    expect(targets.FailedEntryCount).toBe(0);
    events.destroy();
  });

  it("subscribes with a pattern; a proposal's life delivers exactly the matching events, signed, in the catalog envelope", async () => {
    const invalid = await integration(
      "POST",
      "/webhooks/subscriptions",
      { url: receiver.url(A), pattern: { source: "allot.awards" }, description: "bad pattern" },
      operation(),
    );
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toMatch(/pattern/i);

    subA = await subscribe(A, { source: ["allot.awards"], "detail-type": AWARD_TYPES }, "award milestones");
    subB = await subscribe(B, { source: ["allot.awards"] }, "every award event");

    lifeStarted = new Date(Date.now() - 1_000).toISOString();
    ({ awardId } = await activeAward(runtime, CALL, "wendy", 5_000_000, ["rev-ada"]));
    // The last of the matching events, at both subscribers and the AWS-native one.
    await until(
      async () =>
        receiptsFor(A, awardId, "Credits Provisioned").length > 0 &&
        receiptsFor(B, awardId, "Credits Provisioned").length > 0 &&
        busEvents(awardId).some((e) => e["detail-type"] === "Credits Provisioned")
          ? true
          : undefined,
      "Credits Provisioned at every subscriber",
      60_000,
    );
    // Events after Credits Provisioned (activation) reach B and the native subscriber on their own
    // paths: wait until both have the same set, then until nothing more arrives.
    const idsOf = (ids: string[]) => [...new Set(ids)].sort().join(",");
    await until(
      async () =>
        idsOf(receiptsFor(B, awardId).map((r) => envelope(r).eventId)) ===
        idsOf(busEvents(awardId).map((e) => e.detail.eventId))
          ? true
          : undefined,
      "B and the bus agree",
      60_000,
    );
    await new Promise((r) => setTimeout(r, 3_000)); // anything late or repeated would be here by now
    lifeEnded = new Date().toISOString();

    // The bus carried these for the award (the AWS-native subscriber's record, API key included).
    const native = receiver.receipts(NATIVE);
    expect(native.every((r) => r.headers["x-api-key"] === "partner-key")).toBe(true);
    const onBus = busEvents(awardId);
    const busTypes = onBus.map((e) => e["detail-type"]);
    expect(busTypes).toEqual(expect.arrayContaining(["Award Offered", "Provisioning Requested"]));
    const matching = onBus.filter((e) => AWARD_TYPES.includes(e["detail-type"]));

    // A got exactly the matching ones, each once, by type and event id; B got all of them.
    const gotA = receiptsFor(A, awardId);
    const key = (type: string, eventId: string) => `${type}/${eventId}`;
    expect(gotA.map((r) => key(envelope(r).type, envelope(r).eventId)).sort()).toEqual(
      matching.map((e) => key(e["detail-type"], e.detail.eventId)).sort(),
    );
    expect(gotA.map((r) => envelope(r).type).sort()).toEqual(
      ["Award Accepted", "Award Offered", "Credits Provisioned"].sort(),
    );
    expect(new Set(gotA.map(webhookId)).size).toBe(gotA.length);
    expect(
      receiptsFor(B, awardId)
        .map((r) => envelope(r).eventId)
        .sort(),
    ).toEqual(onBus.map((e) => e.detail.eventId).sort());

    for (const [path, sub] of [
      [A, subA],
      [B, subB],
    ] as const) {
      for (const r of receiptsFor(path, awardId)) {
        // Verified by the library with the subscription's secret; answered 2xx.
        expect(r.verifiedWith).toEqual([sub.secret]);
        expect(r.status).toBe(204);
        const body = envelope(r);
        // The webhook id is the delivery id: one per (subscription, event).
        expect(webhookId(r)).toBe(deterministicId("dlv", sub.id, body.eventId));
        expect(r.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
        expect(Math.abs(Number(r.headers["webhook-timestamp"]) * 1000 - r.at)).toBeLessThan(60_000);
        expect(r.headers["content-type"]).toContain("application/json");
        // The catalog's envelope, and the bus event's content.
        expect(Object.keys(body).sort()).toEqual(
          expect.arrayContaining(["data", "eventId", "source", "timestamp", "type", "version"]),
        );
        expect(body.source).toBe("allot.awards");
        expect(body.version).toBe(1);
        expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
        const bus = onBus.find((e) => e.detail.eventId === body.eventId);
        expect(bus?.["detail-type"]).toBe(body.type);
        expect(body.data).toEqual(bus?.detail.data);
        // Payloads never carry a secret.
        expect(r.body).not.toContain("whsec_");
      }
    }
  }, 240_000);

  it("catches up after a receiver outage of several retries, and the log shows the attempts and the next retry", async () => {
    receiver.fail(A, 3, { status: 503, retryAfter: "1" });
    const before = extensions(A, awardId).length;
    await extend(awardId);
    const first = await until(
      async () => extensions(A, awardId)[before],
      "the first attempt of the extension at A",
    );
    const id = webhookId(first);
    expect(first.status).toBe(503);
    // While the outage lasts, the log shows the failed attempt and when the next one is due.
    const during = await until(async () => {
      const delivery = await deliveryOf(subA.id, id);
      return delivery.attempts.length >= 1 && delivery.status === "pending" ? delivery : undefined;
    }, "the delivery pending after its first attempt");
    expect(during.attempts[0]?.statusCode).toBe(503);
    const last = during.attempts[0] as Attempt;
    expect(Date.parse(last.nextAttemptAt ?? "")).toBeGreaterThan(Date.parse(last.at));

    const delivered = await until(
      async () => {
        const delivery = await deliveryOf(subA.id, id);
        return delivery.status === "delivered" ? delivery : undefined;
      },
      "the delivery after the outage",
      60_000,
    );
    // The log lists attempts newest first.
    const attempts = [...delivered.attempts].reverse();
    expect(attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 204]);
    for (const a of attempts) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    for (const a of attempts.slice(0, 3)) expect(a.nextAttemptAt).toBeTruthy();
    expect(attempts[3]?.nextAttemptAt).toBeUndefined();
    // Retry-After 1 s and a schedule of 1 s: each retry came at least about a second later.
    const sameId = receiver.receipts(A).filter((r) => webhookId(r) === id);
    expect(sameId.map((r) => r.status)).toEqual([503, 503, 503, 204]);
    for (let i = 1; i < sameId.length; i++) {
      expect((sameId[i]?.at ?? 0) - (sameId[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(700);
    }
    // Every attempt carried the same event, verifiable.
    expect(new Set(sameId.map((r) => r.body)).size).toBe(1);
    expect(sameId.every((r) => r.verifiedWith.includes(subA.secret))).toBe(true);

    const listed = await integration("GET", `/webhooks/subscriptions/${subA.id}/deliveries?limit=50`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: Delivery) => d.deliveryId)).toContain(id);
  }, 120_000);

  it("keeps verifying across a secret rotation: the new secret and, during the overlap, the old one", async () => {
    const rotated = await integration(
      "POST",
      `/webhooks/subscriptions/${subA.id}/secret/rotate`,
      { overlapSeconds: 3_600 },
      operation(),
    );
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const second: string = rotated.body.secret;
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(subA.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3_000_000);
    expect((await subscriptionOf(subA.id)).secretsActive).toBe(2);
    receiver.trust(A, second);

    const before = extensions(A, awardId).length;
    await extend(awardId);
    const during = await until(async () => extensions(A, awardId)[before], "a delivery after the rotation");
    expect(during.verifiedWith.sort()).toEqual([subA.secret, second].sort());
    expect(during.headers["webhook-signature"]?.split(" ")).toHaveLength(2);

    // A second rotation drops the first secret (two at most): it no longer verifies.
    const again = await integration(
      "POST",
      `/webhooks/subscriptions/${subA.id}/secret/rotate`,
      { overlapSeconds: 3_600 },
      operation(),
    );
    expect(again.status).toBe(200);
    const third: string = again.body.secret;
    receiver.trust(A, third);
    await extend(awardId);
    const after = await until(
      async () => extensions(A, awardId)[before + 1],
      "a delivery after the second rotation",
    );
    expect(after.verifiedWith.sort()).toEqual([second, third].sort());
    expect(verifies(subA.secret, after.body, after.headers)).toBe(false);
    subA = { ...subA, secret: third };
  }, 120_000);

  it("replays a time range to one subscription: the same webhook ids again, and nothing to the other", async () => {
    const lifeIds = receiptsFor(A, awardId)
      .filter((r) => ["Award Offered", "Award Accepted", "Credits Provisioned"].includes(envelope(r).type))
      .map(webhookId);
    expect(lifeIds).toHaveLength(3);
    const countAt = (path: string, ids: string[]) =>
      receiver.receipts(path).filter((r) => ids.includes(webhookId(r))).length;
    const nativeBefore = receiver.receipts(NATIVE).length;

    const replayed = await integration(
      "POST",
      `/webhooks/subscriptions/${subA.id}/replay`,
      { from: lifeStarted, to: lifeEnded },
      operation(),
    );
    expect(replayed.status, JSON.stringify(replayed.body)).toBe(202);
    expect(replayed.body.replayName).toBeTruthy();

    await until(
      async () => (countAt(A, lifeIds) >= 6 ? true : undefined),
      "the replayed events at A",
      60_000,
    );
    await new Promise((r) => setTimeout(r, 3_000));
    for (const id of lifeIds) {
      const again = receiver.receipts(A).filter((r) => webhookId(r) === id);
      expect(again).toHaveLength(2);
      expect(envelope(again[1] as Receipt).eventId).toBe(envelope(again[0] as Receipt).eventId);
      // Signed with the secrets of now.
      expect(again[1]?.verifiedWith).toContain(subA.secret);
    }
    // Only the matching events of the range, and only to this subscription.
    expect(receiptsFor(A, awardId).filter((r) => !AWARD_TYPES.includes(envelope(r).type))).toEqual([]);
    // The others may still get new events of their own (B takes every award event), but none of
    // the replay: no webhook id twice at B, and no replayed envelope at the native subscriber.
    const bIds = receiver.receipts(B).map(webhookId);
    expect(new Set(bIds).size).toBe(bIds.length);
    expect(
      receiver
        .receipts(NATIVE)
        .slice(nativeBefore)
        .filter((r) => "replay-name" in (JSON.parse(r.body) as Record<string, unknown>)),
    ).toEqual([]);
  }, 120_000);

  it("disables a subscription whose receiver keeps failing, holds its events, and resumed delivers them", async () => {
    receiver.fail(A, 1_000, { status: 503 });
    const before = extensions(A, awardId).length;
    await extend(awardId);
    const failing = await until(async () => extensions(A, awardId)[before], "the first failing attempt");
    const failedId = webhookId(failing);
    await until(
      async () => ((await subscriptionOf(subA.id)).status === "disabled" ? true : undefined),
      "the subscription to be disabled",
      60_000,
    );
    const failed = await deliveryOf(subA.id, failedId);
    expect(failed.status).toBe("failed");
    // The first attempt and every retry of the schedule (1,1,1,2), all 503.
    expect(failed.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 503, 503]);
    expect(receiver.receipts(A).filter((r) => webhookId(r) === failedId)).toHaveLength(5);
    // The notice reaches the integration's contact, and names the subscription, not its secret.
    const notice = await until(
      async () => outboxMessages(runtime).find((m) => m.includes(CONTACT) && m.includes(subA.id)),
      "the notice to the integration's contact",
    );
    expect(notice).not.toContain("whsec_");

    // While disabled, events are held, not sent.
    receiver.fail(A, 0);
    const sentBefore = receiver.receipts(A).length;
    await extend(awardId);
    const held = await until(async () => {
      const listed = await integration("GET", `/webhooks/subscriptions/${subA.id}/deliveries?status=held`);
      return listed.body?.items?.[0] as Delivery | undefined;
    }, "a held delivery");
    expect(held.attempts).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(receiver.receipts(A).length).toBe(sentBefore);

    // Resumed: the held event goes out, and the failed one can be redelivered, same webhook id.
    const resumed = await integration(
      "POST",
      `/webhooks/subscriptions/${subA.id}/resume`,
      undefined,
      operation(),
    );
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect((await subscriptionOf(subA.id)).status).toBe("active");
    const released = await until(
      async () => receiver.receipts(A).find((r) => webhookId(r) === held.deliveryId),
      "the held delivery after the resume",
    );
    expect(released.status).toBe(204);
    expect(released.verifiedWith).toContain(subA.secret);
    expect((await deliveryOf(subA.id, held.deliveryId)).status).toBe("delivered");

    const redelivered = await integration(
      "POST",
      `/webhooks/subscriptions/${subA.id}/deliveries/${failedId}/redeliver`,
      undefined,
      operation(),
    );
    expect(redelivered.status, JSON.stringify(redelivered.body)).toBeLessThan(300);
    const repeat = await until(
      async () => receiver.receipts(A).find((r) => webhookId(r) === failedId && r.status === 204),
      "the redelivery of the failed delivery",
    );
    expect(envelope(repeat).eventId).toBe(envelope(failing).eventId);
    expect((await deliveryOf(subA.id, failedId)).status).toBe("delivered");
  }, 180_000);

  it("another integration sees none of it: another's subscription answers 404", async () => {
    const other = api(runtime.http, await runtime.token("cli_someoneelse", "integration"));
    expect((await other("GET", `/webhooks/subscriptions/${subA.id}`)).status).toBe(404);
    expect((await other("GET", `/webhooks/subscriptions/${subA.id}/deliveries`)).status).toBe(404);
  });

  it("publishes the catalog: GET /events/catalog and an AsyncAPI document that a maintained parser accepts", async () => {
    const catalog = await fetch(`${runtime.http}/events/catalog`);
    expect(catalog.status).toBe(200);
    const entries = JSON.stringify(await catalog.json());
    for (const type of AWARD_TYPES) expect(entries).toContain(type);

    const response = await fetch(`${runtime.http}/asyncapi.json`);
    expect(response.status).toBe(200);
    const document = await response.text();
    const { diagnostics } = await new Parser().parse(document);
    expect(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error)).toEqual([]);
    expect(JSON.parse(document).asyncapi).toMatch(/^3\./);
  });
});
