import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuleSpec } from "../src/config.js";
import { type EdgeServer, startEdgeServer } from "../src/edge/server.js";
import { eventBridgeAdminService } from "../src/eventbridge/admin.js";
import { createEventBridge, type EventBridgeEmulator } from "../src/eventbridge/index.js";
import type { LambdaInvoker } from "../src/lambda/invoker.js";
import { silentLogger } from "../src/logger.js";
import { freePort } from "../src/net.js";
import { runtimeTable, startTestDynamo, type TestDynamo } from "./support/dynamo.js";

// The admin operations of the running edge (AwsLocalAdmin.*), called over HTTP as an operator's
// client calls them: dead letters made by a target that fails, re-driven once it is healthy,
// archived events replayed, and bad input answered with AWS-style 400s.

const BUS = "admin-test";
let healthy = false;
const calls: Array<{ fn: string; replayName?: string }> = [];
const lambda: LambdaInvoker = {
  has: (name) => name === "flaky",
  invoke: async (fn, payload) => {
    calls.push({ fn, replayName: (payload as { "replay-name"?: string })["replay-name"] });
    if (!healthy) return { ok: false, errorType: "Boom", errorMessage: "not yet" };
    return { ok: true, payload: null };
  },
};
const rules: RuleSpec[] = [
  {
    name: "to-flaky",
    bus: BUS,
    description: "every event to a target that fails until healed",
    pattern: { source: ["admin.test"] },
    targets: [
      {
        kind: "function",
        function: "flaky",
        retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 3600 },
      },
    ],
  },
];

let dynamo: TestDynamo;
let eventBridge: EventBridgeEmulator;
let edge: EdgeServer;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  eventBridge = createEventBridge({
    doc: dynamo.doc,
    tableName: runtimeTable.name,
    buses: [{ name: BUS, archiveRetentionDays: 30 }],
    rules,
    lambda,
    logger: silentLogger,
    retryBaseMs: 20,
    leaseMs: 5_000,
    sweepIntervalMs: 100,
  });
  await eventBridge.start();
  edge = await startEdgeServer({
    host: "127.0.0.1",
    port: await freePort(),
    services: [eventBridge.service, eventBridgeAdminService(eventBridge)],
    rest: [],
    logger: silentLogger,
  });
}, 60_000);
afterAll(async () => {
  await edge?.close();
  await eventBridge?.stop();
  await dynamo?.stop();
});

const admin = async (operation: string, input: unknown) => {
  const response = await fetch(`${edge.url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AwsLocalAdmin.${operation}` },
    body: JSON.stringify(input),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the edge's JSON, read loosely in assertions
  return { status: response.status, body: (await response.json()) as any };
};

describe("AwsLocalAdmin on the edge", () => {
  let from: string;
  let to: string;

  it("lists a dead letter, re-drives it by id, and keeps it as redriven", async () => {
    from = new Date(Date.now() - 1_000).toISOString();
    const put = await eventBridge.putEvents([
      { Source: "admin.test", DetailType: "Test", Detail: '{"n":1}', EventBusName: BUS },
    ]);
    const eventId = (put.Entries[0] as { EventId: string }).EventId;
    await eventBridge.idle();
    to = new Date(Date.now() + 1_000).toISOString();

    const listed = await admin("ListDeadLetters", {});
    expect(listed.status).toBe(200);
    expect(listed.body.deadLetters).toEqual([
      {
        id: expect.any(String),
        status: "dead",
        failedAt: expect.any(String),
        bus: BUS,
        rule: "to-flaky",
        function: "flaky",
        eventId,
        detailType: "Test",
        attempts: 1,
        error: "Boom: not yet",
      },
    ]);

    healthy = true;
    const id = listed.body.deadLetters[0].id;
    expect(await admin("RedriveDeadLetters", { ids: [id] })).toEqual({ status: 200, body: { redriven: 1 } });
    await eventBridge.idle();
    expect(calls.filter((c) => c.fn === "flaky")).toHaveLength(2);
    expect((await admin("ListDeadLetters", {})).body).toEqual({ deadLetters: [] });
    expect((await admin("ListDeadLetters", { all: true })).body.deadLetters).toMatchObject([
      { id, status: "redriven" },
    ]);
    expect((await admin("RedriveDeadLetters", {})).body).toEqual({ redriven: 0 });
  });

  it("replays archived events under a new name, and refuses the same name again", async () => {
    calls.length = 0;
    const replay = await admin("StartReplay", { bus: BUS, from, to, rules: ["to-flaky"], name: "admin-1" });
    expect(replay).toEqual({ status: 200, body: { replayName: "admin-1", replayed: 1, deliveries: 1 } });
    await eventBridge.idle();
    expect(calls).toEqual([{ fn: "flaky", replayName: "admin-1" }]);

    expect(await admin("StartReplay", { bus: BUS, from, to, name: "admin-1" })).toEqual({
      status: 400,
      body: { __type: "ResourceAlreadyExistsException", message: "Replay admin-1 already exists." },
    });
  });

  it.each([
    ["ListDeadLetters", { all: "yes" }, "ValidationException", "Parameter all is not valid"],
    ["RedriveDeadLetters", { ids: "dl-1" }, "ValidationException", "Parameter ids is not valid"],
    [
      "StartReplay",
      { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" },
      "ValidationException",
      "Parameter bus is required",
    ],
    [
      "StartReplay",
      { bus: BUS, from: "yesterday", to: "2026-01-02T00:00:00Z" },
      "ValidationException",
      'from "yesterday" is not a date',
    ],
    [
      "StartReplay",
      { bus: BUS, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", rules: ["nope"] },
      "ResourceNotFoundException",
      "Rule nope does not exist",
    ],
    [
      "StartReplay",
      { bus: "nope", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" },
      "ResourceNotFoundException",
      "does not exist",
    ],
    ["Unheard", {}, "UnknownOperationException", "AwsLocalAdmin.Unheard is not supported"],
  ])("%s %j → 400 %s", async (operation, input, type, message) => {
    const answer = await admin(operation, input);
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe(type);
    expect(answer.body.message).toContain(message);
  });
});
