import { ruleNameFor } from "@allot/core/webhook";
import { SUBSCRIPTION_RULE_PREFIX } from "@allot/stacks/env";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
} from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, type RuntimeProcess, startRuntimeProcess } from "../support/runtime.js";

// Subscriptions through the HTTP API of `npm start`: each one is a rule on the local bus (read
// back through the real EventBridge client), its record in DynamoDB Local.

let runtime: RuntimeProcess;
let billing: ReturnType<typeof api>;
let other: ReturnType<typeof api>;
let staff: ReturnType<typeof api>;
let events: EventBridgeClient;

const pattern = { source: ["allot.awards"], "detail-type": ["Award Activated"] };
const input = { url: "http://127.0.0.1:9/hooks", pattern, description: "Billing system" };
let keys = 0;
const key = () => ({ "idempotency-key": `subs-e2e-${++keys}` });

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  billing = api(runtime.http, await runtime.token("cli_billing", "integration"));
  other = api(runtime.http, await runtime.token("cli_other", "integration"));
  staff = api(runtime.http, await runtime.token("sam", "staff"));
  events = new EventBridgeClient({
    endpoint: runtime.edge,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const rulesOnBus = async () =>
  (await events.send(new ListRulesCommand({ EventBusName: "allot", NamePrefix: SUBSCRIPTION_RULE_PREFIX })))
    .Rules ?? [];

describe("webhook subscriptions", () => {
  it("creates a subscription as a rule on the bus targeting the delivery function; a retry gives the same answer", async () => {
    const headers = key();
    const created = await billing("POST", "/webhooks/subscriptions", input, headers);
    expect(created).toMatchObject({ status: 201 });
    const { subscription, secret } = created.body;
    expect(secret).toMatch(/^whsec_/);
    expect(subscription).toMatchObject({ ownerId: "cli_billing", status: "active", secretsActive: 1 });
    expect(subscription.secrets).toBeUndefined();

    const ruleName = ruleNameFor(SUBSCRIPTION_RULE_PREFIX, subscription.subscriptionId);
    const rule = await events.send(new DescribeRuleCommand({ EventBusName: "allot", Name: ruleName }));
    expect(rule.State).toBe("ENABLED");
    expect(JSON.parse(rule.EventPattern ?? "{}")).toEqual(pattern);
    const { Targets } = await events.send(
      new ListTargetsByRuleCommand({ EventBusName: "allot", Rule: ruleName }),
    );
    expect(Targets).toHaveLength(1);
    expect(Targets?.[0]).toMatchObject({
      Id: "deliver",
      Arn: expect.stringContaining(":function:deliver-webhook"),
      InputTransformer: {
        InputTemplate: `{"subscriptionId":"${subscription.subscriptionId}","event":<aws.events.event.json>}`,
      },
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
    });

    const again = await billing("POST", "/webhooks/subscriptions", input, headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(created.body);
    expect((await rulesOnBus()).filter((r) => r.Name === ruleName)).toHaveLength(1);

    const listed = await billing("GET", "/webhooks/subscriptions");
    expect(listed.body.items.map((s: { subscriptionId: string }) => s.subscriptionId)).toContain(
      subscription.subscriptionId,
    );
    expect(JSON.stringify(listed.body)).not.toContain(secret);
  });

  it("refuses an invalid pattern naming the problem, a plain-http remote URL, and a missing key", async () => {
    const bad = await billing(
      "POST",
      "/webhooks/subscriptions",
      { ...input, pattern: { source: "allot.awards" } },
      key(),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/pattern/i);
    expect(JSON.stringify(bad.body)).toMatch(/source|array/i);

    const http = await billing(
      "POST",
      "/webhooks/subscriptions",
      { ...input, url: "http://billing.example.org/h" },
      key(),
    );
    expect(http.status).toBe(400);
    expect(JSON.stringify(http.body)).toContain("https");

    expect((await billing("POST", "/webhooks/subscriptions", input)).status).toBe(400);
    const forStaff = await staff("POST", "/webhooks/subscriptions", input, key());
    expect(forStaff.status).toBe(400);
    expect(JSON.stringify(forStaff.body)).toContain("ownerId");
  });

  it("an integration sees only its own: another's id answers 404, in reads and changes", async () => {
    const { body } = await billing("POST", "/webhooks/subscriptions", input, key());
    const path = `/webhooks/subscriptions/${body.subscription.subscriptionId}`;
    expect((await other("GET", path)).status).toBe(404);
    expect((await other("POST", `${path}/pause`, {})).status).toBe(404);
    expect((await other("DELETE", path)).status).toBe(404);
    expect((await other("GET", "/webhooks/subscriptions")).body.items).toEqual([]);
    expect((await staff("GET", path)).status).toBe(200);
  });

  it("pauses, resumes and deletes; the rule stays enabled while paused and goes on delete", async () => {
    const { body } = await billing("POST", "/webhooks/subscriptions", input, key());
    const id = body.subscription.subscriptionId;
    const path = `/webhooks/subscriptions/${id}`;
    const ruleName = ruleNameFor(SUBSCRIPTION_RULE_PREFIX, id);

    const paused = await billing("POST", `${path}/pause`, { reason: "maintenance window" });
    expect(paused.body).toMatchObject({ status: "paused", statusReason: "maintenance window" });
    expect(
      (await events.send(new DescribeRuleCommand({ EventBusName: "allot", Name: ruleName }))).State,
    ).toBe("ENABLED");
    expect((await billing("POST", `${path}/resume`)).body.status).toBe("active");

    const changed = await billing("PATCH", path, { pattern: { source: ["allot.proposals"] } });
    expect(changed.status).toBe(200);
    const rule = await events.send(new DescribeRuleCommand({ EventBusName: "allot", Name: ruleName }));
    expect(JSON.parse(rule.EventPattern ?? "{}")).toEqual({ source: ["allot.proposals"] });

    expect((await billing("DELETE", path)).body.status).toBe("deleted");
    expect((await rulesOnBus()).map((r) => r.Name)).not.toContain(ruleName);
    expect((await billing("GET", path)).body.status).toBe("deleted");
    const resumeDeleted = await billing("POST", `${path}/resume`);
    expect(resumeDeleted.status).toBe(409);
    expect(resumeDeleted.body.message).toContain("deleted");
  });

  it("rotates the secret: a new one, the record keeps two with the previous one's expiry", async () => {
    const { body } = await billing("POST", "/webhooks/subscriptions", input, key());
    const id = body.subscription.subscriptionId;
    const rotated = await billing(
      "POST",
      `/webhooks/subscriptions/${id}/secret/rotate`,
      { overlapSeconds: 3600 },
      key(),
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(body.secret);
    expect(rotated.body.subscription).toMatchObject({
      secretsActive: 2,
      previousSecretExpiresAt: rotated.body.previousSecretExpiresAt,
    });
    const expiresIn = Date.parse(rotated.body.previousSecretExpiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);

    const { Item } = await DynamoDBDocumentClient.from(new DynamoDBClient(runtime.dynamodbConfig)).send(
      new GetCommand({ TableName: "allot", Key: { pk: `SUBSCRIPTION#${id}`, sk: "SUBSCRIPTION" } }),
    );
    expect(Item?.secrets.map((s: { secret: string }) => s.secret)).toEqual([
      rotated.body.secret,
      body.secret,
    ]);
    expect(Item?.secrets[1].expiresAt).toBe(rotated.body.previousSecretExpiresAt);
    expect(Item?.secrets[0].expiresAt).toBeUndefined();

    const tooLong = await billing(
      "POST",
      `/webhooks/subscriptions/${id}/secret/rotate`,
      { overlapSeconds: 8 * 86400 },
      key(),
    );
    expect(tooLong.status).toBe(400);
  });
});
