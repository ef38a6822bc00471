import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ScheduledRuleSpec } from "../src/config.js";
import { type EdgeServer, startEdgeServer } from "../src/edge/server.js";
import { eventBridgeAdminService } from "../src/eventbridge/admin.js";
import { createEventBridge, type EventBridgeEmulator } from "../src/eventbridge/index.js";
import type { EventEnvelope } from "../src/eventbridge/types.js";
import type { LambdaInvoker } from "../src/lambda/invoker.js";
import { silentLogger } from "../src/logger.js";
import { freePort } from "../src/net.js";
import { runtimeTable, startTestDynamo, type TestDynamo } from "./support/dynamo.js";

// Scheduled rules over DynamoDB Local, on a clock the test moves: nothing fires at start-up,
// each period fires once with AWS's "Scheduled Event", a restart neither fires a period again
// nor loses the ones missed while down (they fire once), two instances share the periods, and
// the edge's AwsLocalAdmin.RunSchedule fires a rule now.

const MINUTE = 60_000;
const calls: Array<{ fn: string; event: EventEnvelope }> = [];
const lambda: LambdaInvoker = {
  has: (name) => name === "tick" || name === "tock",
  invoke: async (fn, payload) => {
    calls.push({ fn, event: payload as EventEnvelope });
    return { ok: true, payload: null };
  },
};
const rule = (name: string, scheduleExpression: string, functions = ["tick"]): ScheduledRuleSpec => ({
  name,
  description: `${name} on ${scheduleExpression}`,
  scheduleExpression,
  targets: functions.map((fn) => ({
    kind: "function",
    function: fn,
    retry: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 },
  })),
});

let dynamo: TestDynamo;
let clock = Date.parse("2026-03-01T00:00:00Z");
const running: EventBridgeEmulator[] = [];

const start = async (scheduledRules: ScheduledRuleSpec[]) => {
  const eventBridge = createEventBridge({
    doc: dynamo.doc,
    tableName: runtimeTable.name,
    buses: [],
    rules: [],
    scheduledRules,
    lambda,
    logger: silentLogger,
    now: () => clock,
    retryBaseMs: 20,
    leaseMs: 5_000,
    sweepIntervalMs: 100,
  });
  await eventBridge.start();
  running.push(eventBridge);
  return eventBridge;
};

const stop = async (eventBridge: EventBridgeEmulator) => {
  await eventBridge.stop();
  running.splice(running.indexOf(eventBridge), 1);
};

const callsOf = (ruleName: string) =>
  calls.filter((c) => c.event.resources[0]?.endsWith(`:rule/${ruleName}`));

/** Moves the clock and lets every running emulator notice; waits until `ruleName` has `count` calls. */
const advance = async (ms: number, ruleName: string, count: number) => {
  clock += ms;
  for (const eventBridge of running) eventBridge.recheckSchedules();
  await vi.waitFor(() => expect(callsOf(ruleName)).toHaveLength(count), { timeout: 5_000, interval: 20 });
  // Long enough for a second, wrong, firing to show.
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const eventBridge of running) await eventBridge.idle();
  expect(callsOf(ruleName)).toHaveLength(count);
};

beforeAll(async () => {
  dynamo = await startTestDynamo();
}, 60_000);
afterAll(async () => {
  for (const eventBridge of [...running]) await eventBridge.stop();
  await dynamo?.stop();
});

describe("scheduled rules", () => {
  it("fire nothing at start-up, then once per period with the Scheduled Event shape", async () => {
    const eventBridge = await start([rule("every-5", "rate(5 minutes)", ["tick", "tock"])]);
    const anchor = clock;
    await advance(4 * MINUTE, "every-5", 0);
    await advance(1 * MINUTE, "every-5", 2);
    expect(
      callsOf("every-5")
        .map((c) => c.fn)
        .sort(),
    ).toEqual(["tick", "tock"]);
    const [first] = callsOf("every-5");
    expect(first?.event).toEqual({
      version: "0",
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: expect.stringMatching(/^\d{12}$/),
      time: new Date(anchor + 5 * MINUTE).toISOString().replace(".000Z", "Z"),
      region: expect.any(String),
      resources: [expect.stringMatching(/^arn:aws:events:[^:]+:\d{12}:rule\/every-5$/)],
      detail: {},
    });
    await advance(5 * MINUTE, "every-5", 4);
    await stop(eventBridge);
  });

  it("survive a restart without firing a period twice, and fire the periods missed while down once", async () => {
    let eventBridge = await start([rule("daily", "cron(0 3 * * ? *)")]);
    const DAY = 86_400_000;
    const today3am = Math.floor(clock / DAY) * DAY + 3 * 3_600_000;
    await advance(today3am - clock, "daily", 1);
    await stop(eventBridge);

    // Back within the same period: nothing fires again.
    eventBridge = await start([rule("daily", "cron(0 3 * * ? *)")]);
    await advance(MINUTE, "daily", 1);
    await stop(eventBridge);

    // Down for three days: one firing on start, stamped with the latest period missed.
    clock += 3 * DAY;
    const lastMissed = today3am + 3 * DAY;
    eventBridge = await start([rule("daily", "cron(0 3 * * ? *)")]);
    await vi.waitFor(() => expect(callsOf("daily")).toHaveLength(2), { timeout: 5_000, interval: 20 });
    await eventBridge.idle();
    expect(callsOf("daily")[1]?.event.time).toBe(new Date(lastMissed).toISOString().replace(".000Z", "Z"));
    // …and the next firing is the next period ahead, not another catch-up.
    await advance(MINUTE, "daily", 2);
    const nextPeriod = Math.floor(clock / DAY) * DAY + 3 * 3_600_000 + DAY;
    await advance(nextPeriod - clock, "daily", 3);
    await stop(eventBridge);
  });

  it("are fired once per period by two instances over one table", async () => {
    const spec = [rule("shared", "rate(1 minute)")];
    await start(spec);
    await start(spec);
    await advance(MINUTE, "shared", 1);
    await advance(MINUTE, "shared", 2);
    for (const eventBridge of [...running]) await stop(eventBridge);
  });

  it("restart their clock when the expression changes", async () => {
    let eventBridge = await start([rule("changing", "rate(1 hour)")]);
    await stop(eventBridge);
    eventBridge = await start([rule("changing", "rate(10 minutes)")]);
    await advance(10 * MINUTE, "changing", 1);
    await stop(eventBridge);
  });
});

describe("scheduled rules on the edge", () => {
  let edge: EdgeServer;
  let eventBridge: EventBridgeEmulator;
  beforeAll(async () => {
    eventBridge = await start([rule("on-demand", "cron(0 0 1 1 ? *)")]);
    edge = await startEdgeServer({
      host: "127.0.0.1",
      port: await freePort(),
      services: [eventBridge.service, eventBridgeAdminService(eventBridge)],
      rest: [],
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await edge?.close();
  });

  const call = async (target: string, input: unknown) => {
    const response = await fetch(`${edge.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
      body: JSON.stringify(input),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the edge's JSON, read loosely in assertions
    return { status: response.status, body: (await response.json()) as any };
  };

  it("AwsLocalAdmin.RunSchedule fires the rule's targets now, each time it is called", async () => {
    const first = await call("AwsLocalAdmin.RunSchedule", { name: "on-demand" });
    expect(first).toEqual({ status: 200, body: { eventId: expect.any(String), deliveries: 1 } });
    await eventBridge.idle();
    expect(callsOf("on-demand")).toHaveLength(1);
    expect(callsOf("on-demand")[0]?.event).toMatchObject({
      id: first.body.eventId,
      source: "aws.events",
      "detail-type": "Scheduled Event",
    });
    await call("AwsLocalAdmin.RunSchedule", { name: "on-demand" });
    await eventBridge.idle();
    expect(callsOf("on-demand")).toHaveLength(2);
  });

  it("answers 400 for a missing or unknown rule name", async () => {
    expect(await call("AwsLocalAdmin.RunSchedule", {})).toEqual({
      status: 400,
      body: { __type: "ValidationException", message: "Parameter name is required." },
    });
    expect(await call("AwsLocalAdmin.RunSchedule", { name: "nope" })).toMatchObject({
      status: 400,
      body: {
        __type: "ResourceNotFoundException",
        message: "Rule nope is not a scheduled rule of this stack.",
      },
    });
  });

  it("DescribeRule shows the schedule expression on the default bus", async () => {
    expect(await call("AWSEvents.DescribeRule", { Name: "on-demand" })).toMatchObject({
      status: 200,
      body: {
        Name: "on-demand",
        EventBusName: "default",
        ScheduleExpression: "cron(0 0 1 1 ? *)",
        State: "ENABLED",
      },
    });
    expect((await call("AWSEvents.DescribeRule", { Name: "on-demand" })).body.EventPattern).toBeUndefined();
  });
});
