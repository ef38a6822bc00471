import { randomUUID } from "node:crypto";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BusSpec, RuleSpec } from "../src/config.js";
import { ensureTable } from "../src/dynamodb/tables.js";
import { retryDelay } from "../src/eventbridge/backoff.js";
import {
  createEventBridge,
  type EventBridgeEmulator,
  type EventBridgeOptions,
  type EventEnvelope,
  eventBridgeCommands,
  type PutEventsResponse,
} from "../src/eventbridge/index.js";
import type { InvokeResult, LambdaInvoker } from "../src/lambda/invoker.js";
import { silentLogger } from "../src/logger.js";
import { runtimeTable, startTestDynamo, type TestDynamo } from "./support/dynamo.js";

const BUS = "acme-test";
const buses: BusSpec[] = [{ name: BUS, archiveRetentionDays: 30 }];

type Handler = (event: EventEnvelope) => Promise<InvokeResult>;

/** An in-test Lambda: each function's behaviour is swapped per test; every call is recorded. */
const fakeLambda = () => {
  const handlers = new Map<string, Handler>();
  const calls: Array<{ fn: string; event: EventEnvelope; at: number }> = [];
  const invoker: LambdaInvoker = {
    has: (name) => handlers.has(name),
    invoke: async (fn, payload) => {
      const event = payload as EventEnvelope;
      calls.push({ fn, event, at: Date.now() });
      const handler = handlers.get(fn);
      if (!handler) throw new Error(`no function ${fn}`);
      return handler(event);
    },
  };
  const ok: Handler = async () => ({ ok: true, payload: null });
  return { handlers, calls, invoker, ok };
};

const rule = (
  name: string,
  pattern: Record<string, unknown>,
  fn: string,
  maximumRetryAttempts = 2,
): RuleSpec => ({
  name,
  bus: BUS,
  description: name,
  pattern,
  targets: [
    { kind: "function", function: fn, retry: { maximumRetryAttempts, maximumEventAgeSeconds: 3600 } },
  ],
});

const entry = (source: string, detail: Record<string, unknown> = {}) => ({
  Source: source,
  DetailType: "Test",
  Detail: JSON.stringify(detail),
  EventBusName: BUS,
});

let dynamo: TestDynamo;
let tableName: string;
const running: EventBridgeEmulator[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo?.stop();
});
// A fresh table per test: the sweeps of one test must not see another test's deliveries.
beforeEach(async () => {
  tableName = `eb-${randomUUID().slice(0, 8)}`;
  await ensureTable(dynamo.client, { ...runtimeTable, name: tableName });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((eb) => eb.stop()));
});

const create = (options: Partial<EventBridgeOptions> & Pick<EventBridgeOptions, "rules" | "lambda">) => {
  const eventBridge = createEventBridge({
    doc: dynamo.doc,
    tableName,
    buses,
    logger: silentLogger,
    retryBaseMs: 40,
    // Long enough that a loaded 2-core machine never lets a lease lapse mid-delivery.
    leaseMs: 5_000,
    sweepIntervalMs: 100,
    ...options,
  });
  running.push(eventBridge);
  return eventBridge;
};

const idOf = (response: PutEventsResponse, index = 0) => {
  const result = response.Entries[index];
  if (!result || !("EventId" in result)) throw new Error(`entry ${index} was not accepted`);
  return result.EventId;
};

describe("delivery", () => {
  it("invokes the target of each matching rule once, with the envelope, and records it", async () => {
    const lambda = fakeLambda();
    lambda.handlers.set("awards", lambda.ok);
    lambda.handlers.set("usage", lambda.ok);
    const eb = create({
      rules: [
        rule("awards", { source: ["acme.awards"] }, "awards"),
        rule("usage", { source: ["acme.usage"] }, "usage"),
      ],
      lambda: lambda.invoker,
    });
    await eb.start();
    const response = await eb.putEvents([entry("acme.awards", { n: 1 }), entry("acme.other")]);
    expect(response.FailedEntryCount).toBe(0);
    await eb.idle();
    expect(lambda.calls.map((c) => [c.fn, c.event.id, c.event.detail])).toEqual([
      ["awards", idOf(response), { n: 1 }],
    ]);
    const [delivery] = await eb.deliveriesOf(idOf(response));
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, rule: "awards", function: "awards" });
    expect(await eb.deliveriesOf(idOf(response, 1))).toEqual([]);
  });

  it("retries a failing target with growing backoff until it succeeds, delivering once", async () => {
    const lambda = fakeLambda();
    let calls = 0;
    lambda.handlers.set("flaky", async () => {
      calls++;
      if (calls === 1) return { ok: false, errorType: "Error", errorMessage: "function error" };
      if (calls === 2) throw new Error("invoke failed");
      return { ok: true, payload: null };
    });
    const eb = create({ rules: [rule("flaky", { source: ["s"] }, "flaky", 5)], lambda: lambda.invoker });
    await eb.start();
    const response = await eb.putEvents([entry("s")]);
    await eb.idle();
    expect(lambda.calls).toHaveLength(3);
    const [first, second, third] = lambda.calls.map((c) => c.at);
    // Equal jitter: retry n waits at least half of base * 2^(n-1) (40 ms base).
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(19);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(39);
    const [delivery] = await eb.deliveriesOf(idOf(response));
    expect(delivery).toMatchObject({
      status: "delivered",
      attempts: 3,
      lastError: { type: "Error", message: "invoke failed" },
    });
    expect(await eb.listDeadLetters()).toEqual([]);
  });

  it("dead-letters after the retries run out, then re-drives, marking (not deleting) the letter", async () => {
    const lambda = fakeLambda();
    let healthy = false;
    lambda.handlers.set("broken", async () =>
      healthy ? { ok: true, payload: null } : { ok: false, errorType: "Boom", errorMessage: "still broken" },
    );
    const eb = create({ rules: [rule("broken", { source: ["s"] }, "broken", 2)], lambda: lambda.invoker });
    await eb.start();
    const response = await eb.putEvents([entry("s", { k: "v" })]);
    await eb.idle();
    expect(lambda.calls).toHaveLength(3);
    const letters = await eb.listDeadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      status: "dead",
      bus: BUS,
      rule: "broken",
      function: "broken",
      eventId: idOf(response),
      attempts: 3,
      cycle: 1,
      error: { type: "Boom", message: "still broken" },
      event: { id: idOf(response), detail: { k: "v" } },
    });
    expect((await eb.deliveriesOf(idOf(response)))[0]?.status).toBe("dead");

    const commands = eventBridgeCommands(eb);
    expect(await commands.listDeadLetters()).toMatchObject([
      { id: letters[0]?.id, error: "Boom: still broken" },
    ]);

    healthy = true;
    expect(await commands.redriveDeadLetters({ ids: [letters[0]?.id ?? ""] })).toEqual({ redriven: 1 });
    await eb.idle();
    expect(lambda.calls).toHaveLength(4);
    expect((await eb.deliveriesOf(idOf(response)))[0]).toMatchObject({
      status: "delivered",
      attempts: 1,
      cycle: 2,
    });
    expect(await eb.listDeadLetters()).toEqual([]);
    const kept = await eb.listDeadLetters({ includeRedriven: true });
    expect(kept).toMatchObject([{ id: letters[0]?.id, status: "redriven", redrivenAt: expect.any(String) }]);
    expect(await eb.redriveDeadLetters()).toBe(0);
  });

  it("resumes deliveries left pending or in flight when the process stopped, on a new instance", async () => {
    const blocked = fakeLambda();
    const releases: Array<() => void> = [];
    blocked.handlers.set(
      "slow",
      (): Promise<InvokeResult> =>
        new Promise((resolve) => releases.push(() => resolve({ ok: true, payload: null }))),
    );
    const leaseMs = 1_500;
    const first = create({
      rules: [rule("slow", { source: ["s"] }, "slow")],
      lambda: blocked.invoker,
      concurrency: 1,
      leaseMs,
    });
    await first.start();
    const response = await first.putEvents([
      entry("s", { n: 1 }),
      entry("s", { n: 2 }),
      entry("s", { n: 3 }),
    ]);
    await expect.poll(() => blocked.calls.length).toBe(1);
    // What a kill -9 looks like to the data: one delivery leased and in flight, two never started.
    await first.stop();
    await expect(first.putEvents([entry("s")])).rejects.toMatchObject({ name: "InternalException" });

    const healthy = fakeLambda();
    healthy.handlers.set("slow", healthy.ok);
    const second = create({
      rules: [rule("slow", { source: ["s"] }, "slow")],
      lambda: healthy.invoker,
      leaseMs,
    });
    await second.start();
    await second.idle();
    for (const release of releases) release();
    const ids = response.Entries.map((e) => ("EventId" in e ? e.EventId : ""));
    expect(healthy.calls.map((c) => c.event.id).sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await second.deliveriesOf(id))[0]?.status).toBe("delivered");
    // The one in flight at the kill ran in both processes (at least once); its first attempt
    // died with its outcome unrecorded, so it is not charged against the retry budget.
    const inflightId = blocked.calls[0]?.event.id ?? "";
    expect(healthy.calls.filter((c) => c.event.id === inflightId)).toHaveLength(1);
    for (const id of ids) expect((await second.deliveriesOf(id))[0]?.attempts).toBe(1);
  });

  it("after a stop, runs again only the deliveries of a call that were not recorded", async () => {
    const first = fakeLambda();
    const releases: Array<() => void> = [];
    // The first event's delivery succeeds and is recorded; the second hangs until the stop.
    first.handlers.set("slow", async (event) =>
      (event.detail as { n: number }).n === 1
        ? { ok: true, payload: null }
        : new Promise((resolve) => releases.push(() => resolve({ ok: true, payload: null }))),
    );
    const leaseMs = 1_500;
    const a = create({
      rules: [rule("slow", { source: ["s"] }, "slow")],
      lambda: first.invoker,
      concurrency: 1,
      leaseMs,
    });
    await a.start();
    const response = await a.putEvents([entry("s", { n: 1 }), entry("s", { n: 2 }), entry("s", { n: 3 })]);
    await expect.poll(() => first.calls.length).toBe(2);
    await expect.poll(async () => (await a.deliveriesOf(idOf(response, 0)))[0]?.status).toBe("delivered");
    await a.stop();

    const healthy = fakeLambda();
    healthy.handlers.set("slow", healthy.ok);
    const b = create({ rules: [rule("slow", { source: ["s"] }, "slow")], lambda: healthy.invoker, leaseMs });
    await b.start();
    await b.idle();
    for (const release of releases) release();
    expect(healthy.calls.map((c) => c.event.id).sort()).toEqual(
      [idOf(response, 1), idOf(response, 2)].sort(),
    );
    for (let i = 0; i < 3; i++)
      expect(await b.deliveriesOf(idOf(response, i))).toMatchObject([{ status: "delivered", attempts: 1 }]);
  });

  it("archives a call's events in one item, out of the due index once all are delivered, with their records", async () => {
    const lambda = fakeLambda();
    lambda.handlers.set("count", lambda.ok);
    const eb = create({ rules: [rule("count", { source: ["s"] }, "count")], lambda: lambda.invoker });
    await eb.start();
    const response = await eb.putEvents(Array.from({ length: 10 }, (_, n) => entry("s", { n })));
    await eb.idle();
    const day = new Date().toISOString().slice(0, 10);
    const archive = await dynamo.doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `EB#ARCHIVE#${BUS}#${day}` },
      }),
    );
    expect(archive.Items).toHaveLength(1);
    const [item] = archive.Items ?? [];
    expect(item?.events).toHaveLength(10);
    expect(item).not.toHaveProperty("gsi1pk");
    expect(item).not.toHaveProperty("deliveries");
    const ids = response.Entries.map((e) => ("EventId" in e ? e.EventId : ""));
    expect(lambda.calls.map((c) => c.event.id).sort()).toEqual([...ids].sort());
    // All succeeded within the batch window: their records are in the release, not items of their own.
    expect(JSON.parse(item?.delivered as string)).toHaveLength(10);
    for (const id of ids) {
      const own = await dynamo.doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": `EB#EVENT#${id}` },
        }),
      );
      expect(own.Items).toEqual([]);
      const [delivery, ...others] = await eb.deliveriesOf(id);
      expect(others).toEqual([]);
      expect(delivery).toMatchObject({ status: "delivered", attempts: 1, eventId: id, rule: "count" });
      expect(JSON.parse(delivery?.event ?? "{}")).toMatchObject({ id });
    }
  });

  it("lets two instances on one table claim each delivery exactly once", async () => {
    const lambda = fakeLambda();
    lambda.handlers.set("count", lambda.ok);
    const rules = [rule("count", { source: ["s"] }, "count")];
    const a = create({ rules, lambda: lambda.invoker });
    const b = create({ rules, lambda: lambda.invoker });
    // Written before either starts, so both find all of them in their start-up sweep and race.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await a.putEvents(Array.from({ length: 10 }, (_, n) => entry("s", { n })));
      ids.push(...response.Entries.map((e) => ("EventId" in e ? e.EventId : "")));
    }
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(lambda.calls.map((c) => c.event.id).sort()).toEqual(ids.sort());
  });

  it("refuses to start with an invalid pattern or an unknown target in its configuration", () => {
    const lambda = fakeLambda();
    lambda.handlers.set("f", lambda.ok);
    expect(() => create({ rules: [rule("bad", { source: "acme" }, "f")], lambda: lambda.invoker })).toThrow(
      expect.objectContaining({
        name: "InvalidEventPatternException",
        message: expect.stringContaining('rule "bad"'),
      }),
    );
    expect(() =>
      create({ rules: [rule("lost", { source: ["s"] }, "missing")], lambda: lambda.invoker }),
    ).toThrow(/function "missing"/);
  });

  it("drops events for an unknown bus like AWS when asked to, instead of refusing them", async () => {
    const lambda = fakeLambda();
    const eb = create({ rules: [], lambda: lambda.invoker, rejectUnknownBus: false });
    const response = await eb.putEvents([{ ...entry("s"), EventBusName: "typo-bus" }]);
    expect(response).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    const strict = create({ rules: [], lambda: lambda.invoker });
    const refused = await strict.putEvents([{ ...entry("s"), EventBusName: "typo-bus" }]);
    expect(refused.FailedEntryCount).toBe(1);
  });

  it("computes equal-jitter exponential backoff with a cap", () => {
    const policy = { baseMs: 100, maxMs: 1000 };
    expect(retryDelay(1, { ...policy, random: () => 0 })).toBe(50);
    expect(retryDelay(1, { ...policy, random: () => 1 })).toBe(100);
    expect(retryDelay(3, { ...policy, random: () => 1 })).toBe(400);
    expect(retryDelay(10, { ...policy, random: () => 0.5 })).toBe(750);
  });
});

describe("archive and replay", () => {
  it("replays the events a bus received in a time range to the chosen rules, with replay-name", async () => {
    const lambda = fakeLambda();
    lambda.handlers.set("one", lambda.ok);
    lambda.handlers.set("two", lambda.ok);
    const eb = create({
      rules: [rule("one", { source: ["s"] }, "one"), rule("two", { source: ["s"] }, "two")],
      lambda: lambda.invoker,
    });
    await eb.start();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 15));
    await eb.putEvents([entry("s", { batch: "before" })]);
    await pause();
    const from = new Date();
    await pause();
    const inRange = await eb.putEvents([
      entry("s", { batch: "in" }),
      entry("s", { batch: "in" }),
      entry("other"),
    ]);
    await pause();
    const to = new Date();
    await pause();
    await eb.putEvents([entry("s", { batch: "after" })]);
    await eb.idle();
    expect(lambda.calls).toHaveLength(8);
    lambda.calls.length = 0;

    const result = await eventBridgeCommands(eb).replay({
      bus: BUS,
      from: from.toISOString(),
      to: to.toISOString(),
      rules: ["two"],
      name: "fix-1",
    });
    expect(result).toEqual({ replayName: "fix-1", replayed: 2, deliveries: 2 });
    await eb.idle();
    expect(lambda.calls.map((c) => c.fn)).toEqual(["two", "two"]);
    expect(lambda.calls.map((c) => c.event.id).sort()).toEqual([idOf(inRange, 0), idOf(inRange, 1)].sort());
    for (const call of lambda.calls)
      expect(call.event).toMatchObject({ "replay-name": "fix-1", detail: { batch: "in" } });

    await expect(eb.replay({ bus: BUS, from, to, name: "fix-1" })).rejects.toThrow(
      "Replay fix-1 already exists.",
    );
    const everything = await eb.replay({ bus: BUS, from: new Date(from.getTime() - 60_000), to: new Date() });
    expect(everything).toMatchObject({
      replayName: expect.stringMatching(/^local-replay-/),
      replayed: 4,
      deliveries: 8,
    });
    await expect(eb.replay({ bus: BUS, from, to, rules: ["nope"] })).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });
});
