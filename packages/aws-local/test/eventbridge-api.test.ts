import { randomUUID } from "node:crypto";
import {
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  TestEventPatternCommand,
} from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_ACCOUNT, LOCAL_REGION, localClientConfig } from "../src/aws-config.js";
import type { BusSpec, RuleSpec } from "../src/config.js";
import { ensureTable } from "../src/dynamodb/tables.js";
import { type EdgeServer, startEdgeServer } from "../src/edge/server.js";
import { createEventBridge, type EventBridgeEmulator, type EventEnvelope } from "../src/eventbridge/index.js";
import type { InvokeResult, LambdaInvoker } from "../src/lambda/invoker.js";
import { silentLogger } from "../src/logger.js";
import { freePort } from "../src/net.js";
import { runtimeTable, startTestDynamo, type TestDynamo } from "./support/dynamo.js";

const BUS = "acme-test";
const retry = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 };
const buses: BusSpec[] = [{ name: BUS, archiveRetentionDays: 30 }];
const rules: RuleSpec[] = [
  {
    name: "award-decided",
    bus: BUS,
    description: "Decisions notify the applicant",
    pattern: { source: ["acme.awards"], "detail-type": ["AwardDecided"] },
    targets: [{ kind: "function", function: "notify", retry }],
  },
  {
    name: "usage-recorded",
    bus: BUS,
    description: "Usage burns credits",
    pattern: { source: ["acme.usage"] },
    targets: [
      { kind: "function", function: "burn-credits", retry },
      { kind: "function", function: "notify", retry },
    ],
  },
];

const received: Array<{ fn: string; event: EventEnvelope }> = [];
const lambda: LambdaInvoker = {
  has: (name) => name === "notify" || name === "burn-credits",
  invoke: async (fn, payload): Promise<InvokeResult> => {
    received.push({ fn, event: payload as EventEnvelope });
    return { ok: true, payload: null };
  },
};

let dynamo: TestDynamo;
let eventBridge: EventBridgeEmulator;
let edge: EdgeServer;
let client: EventBridgeClient;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  const tableName = `eb-api-${randomUUID().slice(0, 8)}`;
  await ensureTable(dynamo.client, { ...runtimeTable, name: tableName });
  eventBridge = createEventBridge({
    doc: dynamo.doc,
    tableName,
    buses,
    rules,
    lambda,
    logger: silentLogger,
    retryBaseMs: 10,
    sweepIntervalMs: 200,
  });
  await eventBridge.start();
  edge = await startEdgeServer({
    host: "127.0.0.1",
    port: await freePort(),
    services: [eventBridge.service],
    rest: [],
    logger: silentLogger,
  });
  client = new EventBridgeClient(localClientConfig(edge.url));
});

afterAll(async () => {
  client?.destroy();
  await edge?.close();
  await eventBridge?.stop();
  await dynamo?.stop();
});

const award = {
  Source: "acme.awards",
  DetailType: "AwardDecided",
  Detail: JSON.stringify({ awardId: "a-1" }),
};

describe("PutEvents", () => {
  it("accepts good entries and fails bad ones one by one, delivering only the good one", async () => {
    received.length = 0;
    const output = await client.send(
      new PutEventsCommand({
        Entries: [
          { ...award, EventBusName: BUS, Resources: ["arn:aws:acme:::award/a-1"] },
          { Source: "acme.awards", Detail: "{}", EventBusName: BUS },
          { Source: "acme.awards", DetailType: "AwardDecided", Detail: "[1, 2]", EventBusName: BUS },
          { Source: "acme.awards", DetailType: "AwardDecided", Detail: "{not json", EventBusName: BUS },
          { DetailType: "AwardDecided", Detail: "{}", EventBusName: BUS },
          { ...award, EventBusName: "no-such-bus" },
          { ...award, Source: "aws.ec2", EventBusName: BUS },
        ],
      }),
    );
    expect(output.FailedEntryCount).toBe(6);
    const [good, noType, arrayDetail, badJson, noSource, unknownBus, awsSource] = output.Entries ?? [];
    expect(good?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(good?.ErrorCode).toBeUndefined();
    expect(noType).toEqual({
      ErrorCode: "InvalidArgument",
      ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
    });
    expect(arrayDetail).toEqual({ ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." });
    expect(badJson).toEqual({ ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." });
    expect(noSource?.ErrorMessage).toBe(
      "Parameter Source is not valid. Reason: Source is a required argument.",
    );
    expect(unknownBus?.ErrorCode).toBe("InvalidArgument");
    expect(unknownBus?.ErrorMessage).toContain("Event bus no-such-bus does not exist");
    expect(awsSource?.ErrorCode).toBe("NotAuthorizedForSourceException");

    await eventBridge.idle();
    expect(received).toHaveLength(1);
    const event = received[0]?.event;
    expect(received[0]?.fn).toBe("notify");
    expect(event).toEqual({
      version: "0",
      id: good?.EventId,
      "detail-type": "AwardDecided",
      source: "acme.awards",
      account: LOCAL_ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: LOCAL_REGION,
      resources: ["arn:aws:acme:::award/a-1"],
      detail: { awardId: "a-1" },
    });
  });

  it("takes the bus by ARN, honours Time, and fans out to every target of every matching rule", async () => {
    received.length = 0;
    const output = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: "acme.usage",
            DetailType: "UsageRecorded",
            Detail: JSON.stringify({ chips: 8 }),
            Time: new Date("2026-01-31T12:00:00.000Z"),
            EventBusName: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${BUS}`,
          },
        ],
      }),
    );
    expect(output.FailedEntryCount).toBe(0);
    await eventBridge.idle();
    expect(received.map((r) => r.fn).sort()).toEqual(["burn-credits", "notify"]);
    expect(received[0]?.event.time).toBe("2026-01-31T12:00:00Z");
    expect(received[0]?.event.id).toBe(output.Entries?.[0]?.EventId);
  });

  it("accepts events on the default bus, where no rule matches", async () => {
    const output = await client.send(new PutEventsCommand({ Entries: [award] }));
    expect(output.FailedEntryCount).toBe(0);
  });

  it("rejects a call of more than 10 entries as a whole", async () => {
    const entries = Array.from({ length: 11 }, () => ({ ...award, EventBusName: BUS }));
    await expect(client.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("less than or equal to 10"),
    });
  });

  it("rejects a call whose entries exceed 256 KB together, as AWS does", async () => {
    const big = JSON.stringify({ blob: "x".repeat(200 * 1024) });
    await expect(
      client.send(
        new PutEventsCommand({
          Entries: [
            { ...award, Detail: big },
            { ...award, Detail: big },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: "Total size of the entries in the request is over the limit.",
    });
  });
});

describe("TestEventPattern", () => {
  const event = JSON.stringify({
    id: "e-1",
    account: LOCAL_ACCOUNT,
    source: "acme.awards",
    time: "2026-01-31T12:00:00Z",
    region: LOCAL_REGION,
    "detail-type": "AwardDecided",
    resources: [],
    detail: { amount: 500_000 },
  });

  it("answers true and false", async () => {
    const yes = await client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({
          source: ["acme.awards"],
          detail: { amount: [{ numeric: [">=", 100_000] }] },
        }),
        Event: event,
      }),
    );
    expect(yes.Result).toBe(true);
    const no = await client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ source: ["acme.usage"] }),
        Event: event,
      }),
    );
    expect(no.Result).toBe(false);
  });

  it("refuses an invalid pattern with InvalidEventPatternException", async () => {
    await expect(
      client.send(
        new TestEventPatternCommand({
          EventPattern: JSON.stringify({ source: "acme.awards" }),
          Event: event,
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidEventPatternException",
      message: expect.stringContaining("source"),
    });
    await expect(
      client.send(new TestEventPatternCommand({ EventPattern: "{oops", Event: event })),
    ).rejects.toMatchObject({ name: "InvalidEventPatternException" });
  });

  it("refuses an event without the fields AWS requires", async () => {
    const { id: _id, ...withoutId } = JSON.parse(event) as Record<string, unknown>;
    await expect(
      client.send(
        new TestEventPatternCommand({
          EventPattern: JSON.stringify({ source: ["x"] }),
          Event: JSON.stringify(withoutId),
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException", message: "Parameter Event is not valid." });
  });
});

describe("rules and buses", () => {
  it("lists rules of a bus with a prefix and pages through them", async () => {
    const first = await client.send(new ListRulesCommand({ EventBusName: BUS, Limit: 1 }));
    expect(first.Rules?.map((r) => r.Name)).toEqual(["award-decided"]);
    expect(first.NextToken).toBeDefined();
    const second = await client.send(
      new ListRulesCommand({ EventBusName: BUS, Limit: 1, NextToken: first.NextToken }),
    );
    expect(second.Rules?.map((r) => r.Name)).toEqual(["usage-recorded"]);
    expect(second.NextToken).toBeUndefined();
    const prefixed = await client.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: "usage" }));
    expect(prefixed.Rules).toEqual([
      {
        Name: "usage-recorded",
        Arn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${BUS}/usage-recorded`,
        EventPattern: JSON.stringify({ source: ["acme.usage"] }),
        State: "ENABLED",
        Description: "Usage burns credits",
        EventBusName: BUS,
      },
    ]);
    const onDefault = await client.send(new ListRulesCommand({}));
    expect(onDefault.Rules).toEqual([]);
  });

  it("describes a rule and its targets, and names a missing one", async () => {
    const rule = await client.send(new DescribeRuleCommand({ Name: "award-decided", EventBusName: BUS }));
    expect(rule).toMatchObject({
      Name: "award-decided",
      State: "ENABLED",
      EventBusName: BUS,
      CreatedBy: LOCAL_ACCOUNT,
    });
    expect(JSON.parse(rule.EventPattern ?? "")).toEqual(rules[0]?.pattern);
    const targets = await client.send(
      new ListTargetsByRuleCommand({ Rule: "usage-recorded", EventBusName: BUS }),
    );
    expect(targets.Targets?.map((t) => [t.Id, t.Arn, t.RetryPolicy?.MaximumRetryAttempts])).toEqual([
      ["burn-credits", `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:burn-credits`, 2],
      ["notify", `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:notify`, 2],
    ]);
    await expect(
      client.send(new DescribeRuleCommand({ Name: "nope", EventBusName: BUS })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: `Rule nope does not exist on EventBus ${BUS}.`,
    });
  });

  it("describes and lists buses, by name or ARN", async () => {
    const bus = await client.send(new DescribeEventBusCommand({ Name: BUS }));
    expect(bus.Arn).toBe(`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${BUS}`);
    const byArn = await client.send(new DescribeEventBusCommand({ Name: bus.Arn }));
    expect(byArn.Name).toBe(BUS);
    const byDefault = await client.send(new DescribeEventBusCommand({}));
    expect(byDefault.Name).toBe("default");
    await expect(client.send(new DescribeEventBusCommand({ Name: "nope" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Event bus nope does not exist.",
    });
    const all = await client.send(new ListEventBusesCommand({}));
    expect(all.EventBuses?.map((b) => b.Name)).toEqual([BUS, "default"]);
  });

  it("refuses to change rules that come from its configuration", async () => {
    await expect(
      client.send(
        new PutRuleCommand({
          Name: "award-decided",
          EventBusName: BUS,
          EventPattern: JSON.stringify({ source: ["x"] }),
        }),
      ),
    ).rejects.toMatchObject({
      name: "ManagedRuleException",
      message: expect.stringContaining("read-only"),
    });
  });
});
