import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import { DomainError } from "../src/errors.js";
import {
  createSubscription,
  deleteSubscription,
  disableSubscription,
  endpointProblem,
  getSubscription,
  listSubscriptions,
  pauseSubscription,
  resumeSubscription,
  rotateSecret,
  type SubscriptionDeps,
  signingSecrets,
  updateSubscription,
} from "../src/webhook/index.js";
import { leafArrayPatterns, memoryRules, memorySubscriptions } from "./webhook-fakes.js";

let now = new Date("2026-11-30T10:00:00Z");
const clock = { now: () => now };
const billing: Actor = { userId: "cli_billing", role: "integration", scopes: ["events:subscribe"] };
const other: Actor = { userId: "cli_other", role: "integration", scopes: ["events:subscribe"] };
const staff: Actor = { userId: "sam", role: "staff" };
const pattern = { source: ["allot.awards"], "detail-type": ["Award Activated"] };
const input = { url: "https://billing.example.org/hooks", pattern, description: "Billing" };

const setup = (allowLoopback = false) => {
  now = new Date("2026-11-30T10:00:00Z");
  const subs = memorySubscriptions();
  const rules = memoryRules();
  const deps: SubscriptionDeps = {
    subscriptions: subs.repo,
    rules: rules.port,
    patterns: leafArrayPatterns(),
    clock,
    settings: { rulePrefix: "allot-webhook-", allowLoopback },
  };
  return { deps, subs, rules };
};

const errorOf = async (p: Promise<unknown>) => {
  const error = await p.catch((e) => e);
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

describe("webhook subscriptions", () => {
  it("creates the rule and the record with its event; the secret is answered once, never in the view", async () => {
    const { deps, subs, rules } = setup();
    const { subscription, secret } = await createSubscription(deps, billing, input, "op-1");
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(subscription).not.toHaveProperty("secrets");
    expect(subscription).toMatchObject({
      ownerId: "cli_billing",
      status: "active",
      secretsActive: 1,
      revision: 1,
    });
    expect(rules.rules.get(`allot-webhook-${subscription.subscriptionId}`)).toEqual({
      subscriptionId: subscription.subscriptionId,
      pattern,
      enabled: true,
    });
    expect(subs.events.map((e) => e.detailType)).toEqual(["Webhook Subscription Created"]);
    expect(JSON.stringify(subs.events)).not.toContain(secret);
  });

  it("a retry of the same operation lands on the same subscription and secret", async () => {
    const { deps, subs } = setup();
    const first = await createSubscription(deps, billing, input, "op-1");
    const again = await createSubscription(deps, billing, input, "op-1");
    expect(again).toEqual(first);
    expect(subs.items.size).toBe(1);
  });

  it("a crash between the rule and the record converges on retry", async () => {
    const { deps, subs, rules } = setup();
    const failing = { ...deps.subscriptions, create: async () => Promise.reject(new Error("crash")) };
    await expect(
      createSubscription({ ...deps, subscriptions: failing }, billing, input, "op-1"),
    ).rejects.toThrow();
    expect(rules.rules.size).toBe(1);
    const { subscription } = await createSubscription(deps, billing, input, "op-1");
    expect(subs.items.get(subscription.subscriptionId)?.status).toBe("active");
    expect(rules.rules.size).toBe(1);
  });

  it("staff name the owner; without it a 400 names ownerId", async () => {
    const { deps } = setup();
    const error = await errorOf(createSubscription(deps, staff, input, "op-1"));
    expect(error.kind).toBe("validation");
    expect(error.issues[0]?.field).toBe("ownerId");
    const { subscription } = await createSubscription(
      deps,
      staff,
      { ...input, ownerId: "cli_billing" },
      "op-2",
    );
    expect(subscription).toMatchObject({ ownerId: "cli_billing", createdBy: "sam" });
  });

  it("refuses an invalid pattern with the matcher's message, and a pattern over 4096 characters", async () => {
    const { deps, rules } = setup();
    const error = await errorOf(
      createSubscription(deps, billing, { ...input, pattern: { source: "allot.awards" } }, "o"),
    );
    expect(error.kind).toBe("validation");
    expect(error.message).toContain('"source" must be an object or an array');
    const big = { source: ["x".repeat(5000)] };
    expect(
      (await errorOf(createSubscription(deps, billing, { ...input, pattern: big }, "o"))).issues[0]?.field,
    ).toBe("pattern");
    expect(rules.rules.size).toBe(0);
  });

  it("checks the endpoint", () => {
    expect(endpointProblem("http://billing.example.org/h", true)).toMatch(/https/);
    expect(endpointProblem("http://127.0.0.1:8080/h", true)).toBeUndefined();
    expect(endpointProblem("http://localhost:8080/h", true)).toBeUndefined();
    expect(endpointProblem("http://[::1]:8080/h", true)).toBeUndefined();
    expect(endpointProblem("http://localhost:8080/h", false)).toMatch(/not allowed/);
    expect(endpointProblem("https://user:pw@example.org/h", false)).toMatch(/credentials/);
    expect(endpointProblem("https://example.org/h#frag", false)).toMatch(/fragment/);
    expect(endpointProblem(`https://example.org/${"a".repeat(2048)}`, false)).toMatch(/2048/);
    expect(endpointProblem("https://169.254.169.254/latest", false)).toMatch(/metadata/);
    expect(endpointProblem("https://10.0.0.4/h", false)).toMatch(/private/);
    expect(endpointProblem("https://[fd00:ec2::254]/h", false)).toMatch(/private/);
    expect(endpointProblem("https://example.org/h", false)).toBeUndefined();
    expect(endpointProblem("ftp://example.org/h", false)).toMatch(/https/);
  });

  it("an integration sees only its own subscriptions: another's id is not found", async () => {
    const { deps } = setup();
    const { subscription } = await createSubscription(deps, billing, input, "op-1");
    await createSubscription(deps, other, input, "op-2");
    expect((await errorOf(getSubscription(deps, other, subscription.subscriptionId))).kind).toBe("not_found");
    expect((await errorOf(pauseSubscription(deps, other, subscription.subscriptionId, {}))).kind).toBe(
      "not_found",
    );
    expect((await listSubscriptions(deps, billing, { limit: 10, ownerId: "cli_other" })).items).toHaveLength(
      1,
    );
    expect((await listSubscriptions(deps, staff, { limit: 10 })).items).toHaveLength(2);
    expect(
      (await listSubscriptions(deps, staff, { limit: 10, ownerId: "cli_other" })).items[0]?.ownerId,
    ).toBe("cli_other");
  });

  it("pauses, resumes (with its event) and deletes; illegal transitions are conflicts", async () => {
    const { deps, subs, rules } = setup();
    const { subscription } = await createSubscription(deps, billing, input, "op-1");
    const id = subscription.subscriptionId;
    expect(await pauseSubscription(deps, billing, id, { reason: "maintenance" })).toMatchObject({
      status: "paused",
      statusReason: "maintenance",
    });
    expect(rules.rules.get(subscription.ruleName)?.enabled).toBe(true);
    const resumed = await resumeSubscription(deps, billing, id);
    expect(resumed.status).toBe("active");
    expect(resumed).not.toHaveProperty("statusReason");
    expect(subs.events.map((e) => e.detailType)).toContain("Webhook Subscription Resumed");
    await deleteSubscription(deps, billing, id);
    expect(subs.items.get(id)?.status).toBe("deleted");
    expect(rules.rules.size).toBe(0);
    expect((await errorOf(resumeSubscription(deps, billing, id))).kind).toBe("conflict");
    expect((await errorOf(updateSubscription(deps, billing, id, { description: "x" }))).kind).toBe(
      "conflict",
    );
    expect((await deleteSubscription(deps, billing, id)).status).toBe("deleted");
  });

  it("updates re-put the rule with a new pattern", async () => {
    const { deps, rules } = setup();
    const { subscription } = await createSubscription(deps, billing, input, "op-1");
    const next = { source: ["allot.proposals"] };
    const updated = await updateSubscription(deps, billing, subscription.subscriptionId, { pattern: next });
    expect(updated.revision).toBe(2);
    expect(rules.rules.get(subscription.ruleName)?.pattern).toEqual(next);
    expect((await errorOf(updateSubscription(deps, billing, subscription.subscriptionId, {}))).kind).toBe(
      "validation",
    );
  });

  it("rotates: new secret first, the previous signs until the overlap ends, at most two kept", async () => {
    const { deps, subs } = setup();
    const created = await createSubscription(deps, billing, input, "op-1");
    const id = created.subscription.subscriptionId;
    const first = await rotateSecret(deps, billing, id, 3600);
    expect(first.previousSecretExpiresAt).toBe("2026-11-30T11:00:00.000Z");
    expect(first.subscription).toMatchObject({
      secretsActive: 2,
      previousSecretExpiresAt: first.previousSecretExpiresAt,
    });
    const stored = subs.items.get(id);
    expect(stored?.secrets.map((s) => s.secret)).toEqual([first.secret, created.secret]);
    expect(signingSecrets(stored!, now)).toEqual([first.secret, created.secret]);
    expect(signingSecrets(stored!, new Date("2026-11-30T11:00:01Z"))).toEqual([first.secret]);
    const second = await rotateSecret(deps, billing, id);
    expect(subs.items.get(id)?.secrets.map((s) => s.secret)).toEqual([second.secret, first.secret]);
    expect(second.previousSecretExpiresAt).toBe("2026-12-01T10:00:00.000Z");
    expect((await errorOf(rotateSecret(deps, billing, id, 8 * 24 * 3600))).kind).toBe("validation");
  });

  it("disables an active subscription once (for the delivery function), with its event", async () => {
    const { deps, subs } = setup();
    const { subscription } = await createSubscription(deps, billing, input, "op-1");
    const failure = { deliveryId: "dlv_x", attempts: 9, lastStatus: 503 };
    expect((await disableSubscription(deps, subscription.subscriptionId, failure)).disabled).toBe(true);
    expect((await disableSubscription(deps, subscription.subscriptionId, failure)).disabled).toBe(false);
    expect(subs.items.get(subscription.subscriptionId)?.status).toBe("disabled");
    const disabled = subs.events.filter((e) => e.detailType === "Webhook Subscription Disabled");
    expect(disabled).toHaveLength(1);
    expect(disabled[0]?.detail.data).toMatchObject({ deliveryId: "dlv_x", attempts: 9, lastStatus: 503 });
    expect((await errorOf(pauseSubscription(deps, billing, subscription.subscriptionId, {}))).kind).toBe(
      "conflict",
    );
    expect((await resumeSubscription(deps, staff, subscription.subscriptionId)).status).toBe("active");
  });
});
