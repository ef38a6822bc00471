import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DeleteRuleCommand,
  DescribeApiDestinationCommand,
  DescribeArchiveCommand,
  DescribeConnectionCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListApiDestinationsCommand,
  ListArchivesCommand,
  ListConnectionsCommand,
  ListReplaysCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  StartReplayCommand,
  UpdateApiDestinationCommand,
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

// Rules, targets, connections and API destinations created at run time, through the real AWS
// SDK client against the edge, delivered by the emulator's durable delivery path.

const BUS = "runtime-test";
const retry = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 };
const buses: BusSpec[] = [{ name: BUS, archiveRetentionDays: 30 }];
const topologyRules: RuleSpec[] = [
  {
    name: "from-config",
    bus: BUS,
    pattern: { source: ["acme.config"] },
    targets: [{ kind: "function", function: "audit", retry }],
  },
];
const FUNCTIONS = ["deliver", "audit", "other"];
const fnArn = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
const ruleArn = (name: string) => `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${BUS}/${name}`;
const BUS_ARN = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${BUS}`;
const ARCHIVE_ARN = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:archive/${BUS}`;

const received: Array<{ fn: string; payload: unknown }> = [];
const lambda: LambdaInvoker = {
  has: (name) => FUNCTIONS.includes(name),
  invoke: async (fn, payload): Promise<InvokeResult> => {
    received.push({ fn, payload });
    return { ok: true, payload: null };
  },
};
const receivedBy = (fn: string) => received.filter((r) => r.fn === fn).map((r) => r.payload);

let dynamo: TestDynamo;
let tableName: string;
let eventBridge: EventBridgeEmulator;
let edge: EdgeServer;
let client: EventBridgeClient;

const boot = async () => {
  eventBridge = createEventBridge({
    doc: dynamo.doc,
    tableName,
    buses,
    rules: topologyRules,
    lambda,
    logger: silentLogger,
    retryBaseMs: 10,
    retryMaxDelayMs: 50,
    sweepIntervalMs: 200,
    httpTimeoutMs: 1_000,
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
};

const shutdown = async () => {
  client?.destroy();
  await edge?.close();
  await eventBridge?.stop();
};

beforeAll(async () => {
  dynamo = await startTestDynamo();
  tableName = `eb-runtime-${randomUUID().slice(0, 8)}`;
  await ensureTable(dynamo.client, { ...runtimeTable, name: tableName });
  await boot();
});

afterAll(async () => {
  await shutdown();
  await dynamo?.stop();
});

const put = async (source: string, detail: Record<string, unknown> = {}) => {
  const output = await client.send(
    new PutEventsCommand({
      Entries: [
        { Source: source, DetailType: "Thing Happened", Detail: JSON.stringify(detail), EventBusName: BUS },
      ],
    }),
  );
  expect(output.FailedEntryCount).toBe(0);
  return output.Entries?.[0]?.EventId as string;
};

const putRule = (name: string, pattern: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  client.send(
    new PutRuleCommand({ Name: name, EventBusName: BUS, EventPattern: JSON.stringify(pattern), ...extra }),
  );

/** The target webhook subscriptions use: the event wrapped with the subscription's id. */
const subscriptionTarget = (subscriptionId: string, fn = "deliver") => ({
  Id: "deliver",
  Arn: fnArn(fn),
  InputTransformer: {
    InputPathsMap: {},
    InputTemplate: `{"subscriptionId":"${subscriptionId}","event":<aws.events.event.json>}`,
  },
  RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
});

describe("runtime rules with Lambda targets", () => {
  it("delivers a matching event through the target's InputTransformer", async () => {
    received.length = 0;
    const created = await putRule("sub-1", { source: ["acme.grants"] }, { Description: "a subscription" });
    expect(created.RuleArn).toBe(ruleArn("sub-1"));
    const targets = await client.send(
      new PutTargetsCommand({ Rule: "sub-1", EventBusName: BUS, Targets: [subscriptionTarget("sub_1")] }),
    );
    expect(targets).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });

    const eventId = await put("acme.grants", { grantId: "g-1" });
    await put("acme.other");
    await eventBridge.idle();
    const payloads = receivedBy("deliver") as Array<{ subscriptionId: string; event: EventEnvelope }>;
    expect(payloads).toHaveLength(1);
    expect(payloads[0]?.subscriptionId).toBe("sub_1");
    expect(payloads[0]?.event).toMatchObject({
      id: eventId,
      source: "acme.grants",
      "detail-type": "Thing Happened",
      detail: { grantId: "g-1" },
    });

    const rule = await client.send(new DescribeRuleCommand({ Name: "sub-1", EventBusName: BUS }));
    expect(rule).toMatchObject({
      Name: "sub-1",
      Arn: ruleArn("sub-1"),
      EventPattern: JSON.stringify({ source: ["acme.grants"] }),
      State: "ENABLED",
      Description: "a subscription",
      EventBusName: BUS,
    });
    const listed = await client.send(new ListTargetsByRuleCommand({ Rule: "sub-1", EventBusName: BUS }));
    expect(listed.Targets).toEqual([
      {
        Id: "deliver",
        Arn: fnArn("deliver"),
        InputTransformer: subscriptionTarget("sub_1").InputTransformer,
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
      },
    ]);
    const rules = await client.send(new ListRulesCommand({ EventBusName: BUS }));
    expect(rules.Rules?.map((r) => [r.Name, r.State])).toEqual(
      expect.arrayContaining([
        ["from-config", "ENABLED"],
        ["sub-1", "ENABLED"],
      ]),
    );
  });

  it("changes a rule's pattern with a second PutRule, keeping its targets", async () => {
    received.length = 0;
    await putRule("sub-1", { source: ["acme.awards"] }, { Description: "a subscription" });
    await put("acme.grants");
    const eventId = await put("acme.awards");
    await eventBridge.idle();
    const payloads = receivedBy("deliver") as Array<{ event: EventEnvelope }>;
    expect(payloads.map((p) => p.event.id)).toEqual([eventId]);
  });

  it("delivers nothing while a rule is disabled, and again once enabled", async () => {
    received.length = 0;
    await client.send(new DisableRuleCommand({ Name: "sub-1", EventBusName: BUS }));
    expect((await client.send(new DescribeRuleCommand({ Name: "sub-1", EventBusName: BUS }))).State).toBe(
      "DISABLED",
    );
    await put("acme.awards");
    await eventBridge.idle();
    expect(receivedBy("deliver")).toHaveLength(0);
    await client.send(new EnableRuleCommand({ Name: "sub-1", EventBusName: BUS }));
    const eventId = await put("acme.awards");
    await eventBridge.idle();
    expect((receivedBy("deliver") as Array<{ event: EventEnvelope }>).map((p) => p.event.id)).toEqual([
      eventId,
    ]);
  });

  it("delivers an event near the size limit through the transformer, which repeats it whole", async () => {
    received.length = 0;
    const big = "x".repeat(230 * 1024);
    const eventId = await put("acme.awards", { big });
    await eventBridge.idle();
    const payloads = receivedBy("deliver") as Array<{ event: EventEnvelope }>;
    expect(payloads.map((p) => [p.event.id, (p.event.detail.big as string).length])).toEqual([
      [eventId, big.length],
    ]);
  });

  it("keeps runtime rules and targets across a restart", async () => {
    await shutdown();
    await boot();
    received.length = 0;
    const rules = await client.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: "sub-" }));
    expect(rules.Rules?.map((r) => r.Name)).toEqual(["sub-1"]);
    const eventId = await put("acme.awards");
    await eventBridge.idle();
    expect(receivedBy("deliver")).toEqual([expect.objectContaining({ subscriptionId: "sub_1" })]);
    expect((receivedBy("deliver")[0] as { event: EventEnvelope }).event.id).toBe(eventId);
  });

  it("refuses DeleteRule while targets remain, then deletes after RemoveTargets", async () => {
    await expect(
      client.send(new DeleteRuleCommand({ Name: "sub-1", EventBusName: BUS })),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: "Rule can't be deleted since it has targets.",
    });
    const removed = await client.send(
      new RemoveTargetsCommand({ Rule: "sub-1", EventBusName: BUS, Ids: ["deliver"] }),
    );
    expect(removed).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    await client.send(new DeleteRuleCommand({ Name: "sub-1", EventBusName: BUS }));
    await expect(
      client.send(new DescribeRuleCommand({ Name: "sub-1", EventBusName: BUS })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    // Deleting what is gone is a success, as on AWS: a retried delete is safe.
    await client.send(new DeleteRuleCommand({ Name: "sub-1", EventBusName: BUS }));
    received.length = 0;
    await put("acme.awards");
    await eventBridge.idle();
    expect(receivedBy("deliver")).toHaveLength(0);
    // Gone after a restart too.
    await shutdown();
    await boot();
    const rules = await client.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: "sub-" }));
    expect(rules.Rules).toEqual([]);
  });

  it("refuses every change to a rule from the configuration", async () => {
    const managed = { name: "ManagedRuleException", message: expect.stringContaining("read-only") };
    await expect(putRule("from-config", { source: ["x"] })).rejects.toMatchObject(managed);
    await expect(
      client.send(
        new PutTargetsCommand({ Rule: "from-config", EventBusName: BUS, Targets: [subscriptionTarget("s")] }),
      ),
    ).rejects.toMatchObject(managed);
    await expect(
      client.send(new RemoveTargetsCommand({ Rule: "from-config", EventBusName: BUS, Ids: ["audit"] })),
    ).rejects.toMatchObject(managed);
    await expect(
      client.send(new DisableRuleCommand({ Name: "from-config", EventBusName: BUS })),
    ).rejects.toMatchObject(managed);
    await expect(
      client.send(new DeleteRuleCommand({ Name: "from-config", EventBusName: BUS })),
    ).rejects.toMatchObject(managed);
    const rule = await client.send(new DescribeRuleCommand({ Name: "from-config", EventBusName: BUS }));
    expect(rule.EventPattern).toBe(JSON.stringify({ source: ["acme.config"] }));
  });

  it("answers AWS's validation errors", async () => {
    await expect(putRule("x".repeat(65), { source: ["x"] })).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("length less than or equal to 64"),
    });
    await expect(putRule("bad name!", { source: ["x"] })).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("regular expression pattern"),
    });
    await expect(putRule("bad-pattern", { source: "not-an-array" })).rejects.toMatchObject({
      name: "InvalidEventPatternException",
    });
    await expect(
      client.send(new PutRuleCommand({ Name: "not-json", EventBusName: BUS, EventPattern: "{nope" })),
    ).rejects.toMatchObject({ name: "InvalidEventPatternException" });
    await expect(
      client.send(
        new PutRuleCommand({ Name: "sched", EventBusName: BUS, ScheduleExpression: "rate(5 minutes)" }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: "ScheduleExpression is supported only on the default event bus.",
    });
    await expect(
      client.send(new PutRuleCommand({ Name: "neither", EventBusName: BUS })),
    ).rejects.toMatchObject({
      name: "ValidationException",
    });
    await expect(putRule("bad-state", { source: ["x"] }, { State: "SLEEPING" })).rejects.toMatchObject({
      name: "ValidationException",
    });
    await expect(putRule("on-no-bus", { source: ["x"] }, { EventBusName: "nope" })).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    await expect(
      client.send(new EnableRuleCommand({ Name: "never-made", EventBusName: BUS })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });

    await putRule("limits", { source: ["acme.limits"] });
    const six = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: fnArn("other") }));
    await expect(
      client.send(new PutTargetsCommand({ Rule: "limits", EventBusName: BUS, Targets: six })),
    ).rejects.toMatchObject({ name: "LimitExceededException" });
    const unknown = await client.send(
      new PutTargetsCommand({
        Rule: "limits",
        EventBusName: BUS,
        Targets: [
          { Id: "good", Arn: fnArn("other") },
          { Id: "ghost", Arn: fnArn("no-such-function") },
        ],
      }),
    );
    expect(unknown.FailedEntryCount).toBe(1);
    expect(unknown.FailedEntries?.[0]).toMatchObject({ TargetId: "ghost", ErrorCode: "ValidationException" });
    const kept = await client.send(new ListTargetsByRuleCommand({ Rule: "limits", EventBusName: BUS }));
    expect(kept.Targets?.map((t) => t.Id)).toEqual(["good"]);
    await expect(
      client.send(
        new PutTargetsCommand({
          Rule: "limits",
          EventBusName: BUS,
          Targets: [
            {
              Id: "reserved",
              Arn: fnArn("other"),
              InputTransformer: { InputPathsMap: { "aws.events.rule-name": "$.id" }, InputTemplate: "{}" },
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("reserved") });
    await expect(
      client.send(
        new PutTargetsCommand({
          Rule: "limits",
          EventBusName: BUS,
          Targets: [{ Id: "both", Arn: fnArn("other"), Input: "{}", InputPath: "$.detail" }],
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await expect(
      client.send(
        new PutTargetsCommand({
          Rule: "limits",
          EventBusName: BUS,
          Targets: [{ Id: "t", Arn: fnArn("other"), RetryPolicy: { MaximumEventAgeInSeconds: 10 } }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("between 60 and 86400"),
    });
  });
});

describe("API destinations", () => {
  let server: Server;
  let url: string;
  const requests: Array<{
    method: string;
    path: string;
    headers: IncomingMessage["headers"];
    body: string;
    at: number;
  }> = [];
  let answers: number[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        requests.push({
          method: request.method ?? "",
          path: request.url ?? "",
          headers: request.headers,
          body,
          at: Date.now(),
        });
        response.statusCode = answers.shift() ?? 200;
        response.end();
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const setUp = async (name: string, retryAttempts: number) => {
    const connection = await client.send(
      new CreateConnectionCommand({
        Name: `${name}-connection`,
        AuthorizationType: "API_KEY",
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "x-api-key", ApiKeyValue: "very-secret" } },
      }),
    );
    expect(connection.ConnectionState).toBe("AUTHORIZED");
    const destination = await client.send(
      new CreateApiDestinationCommand({
        Name: `${name}-destination`,
        ConnectionArn: connection.ConnectionArn,
        InvocationEndpoint: `${url}/hooks/*`,
        HttpMethod: "POST",
        InvocationRateLimitPerSecond: 10,
      }),
    );
    expect(destination.ApiDestinationArn).toMatch(
      new RegExp(`^arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:api-destination/${name}-destination/`),
    );
    await putRule(name, { source: [`acme.${name}`] });
    const targets = await client.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: BUS,
        Targets: [
          {
            Id: "http",
            Arn: destination.ApiDestinationArn,
            InputPath: "$.detail",
            HttpParameters: {
              PathParameterValues: ["team one"],
              HeaderParameters: { "x-extra": "1" },
              QueryStringParameters: { q: "v" },
            },
            RetryPolicy: { MaximumRetryAttempts: retryAttempts, MaximumEventAgeInSeconds: 600 },
          },
        ],
      }),
    );
    expect(targets.FailedEntryCount).toBe(0);
    return connection;
  };

  it("sends the event by HTTP with the connection's API key, and never shows the key", async () => {
    requests.length = 0;
    const connection = await setUp("http-ok", 2);
    const eventId = await put("acme.http-ok", { n: 1 });
    await eventBridge.idle();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: "POST", path: "/hooks/team%20one?q=v", body: '{"n":1}' });
    expect(requests[0]?.headers).toMatchObject({
      "x-api-key": "very-secret",
      "x-extra": "1",
      "content-type": expect.stringContaining("application/json"),
    });
    const [delivery] = await eventBridge.deliveriesOf(eventId);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });

    const described = await client.send(new DescribeConnectionCommand({ Name: "http-ok-connection" }));
    expect(described).toMatchObject({
      ConnectionArn: connection.ConnectionArn,
      AuthorizationType: "API_KEY",
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "x-api-key" } },
    });
    const listedConnections = await client.send(new ListConnectionsCommand({}));
    for (const answer of [described, listedConnections]) {
      expect(JSON.stringify(answer)).not.toContain("very-secret");
    }
  });

  it("retries a 503 under the target's RetryPolicy", async () => {
    requests.length = 0;
    answers = [503, 503, 200];
    await setUp("http-retry", 5);
    const eventId = await put("acme.http-retry", { n: 2 });
    await eventBridge.idle();
    expect(requests).toHaveLength(3);
    const [delivery] = await eventBridge.deliveriesOf(eventId);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3 });
  });

  it("dead-letters a 400 at once, without retrying", async () => {
    requests.length = 0;
    answers = [400];
    await setUp("http-bad", 5);
    const eventId = await put("acme.http-bad", { n: 3 });
    await eventBridge.idle();
    expect(requests).toHaveLength(1);
    const [delivery] = await eventBridge.deliveriesOf(eventId);
    expect(delivery).toMatchObject({ status: "dead", attempts: 1 });
    const letters = await eventBridge.listDeadLetters();
    const letter = letters.find((l) => l.eventId === eventId);
    expect(letter?.error.message).toContain("HTTP 400");
    expect(JSON.stringify(letter)).not.toContain("very-secret");
  });

  it("keeps connections and API destinations across a restart, with basic auth and the rate limit", async () => {
    const connection = await client.send(
      new CreateConnectionCommand({
        Name: "basic-connection",
        AuthorizationType: "BASIC",
        AuthParameters: { BasicAuthParameters: { Username: "user", Password: "pass word" } },
      }),
    );
    const destination = await client.send(
      new CreateApiDestinationCommand({
        Name: "slow-destination",
        ConnectionArn: connection.ConnectionArn,
        InvocationEndpoint: `${url}/slow`,
        HttpMethod: "PUT",
        InvocationRateLimitPerSecond: 4,
      }),
    );
    await putRule("http-slow", { source: ["acme.http-slow"] });
    await client.send(
      new PutTargetsCommand({
        Rule: "http-slow",
        EventBusName: BUS,
        Targets: [{ Id: "http", Arn: destination.ApiDestinationArn }],
      }),
    );
    await shutdown();
    await boot();
    requests.length = 0;
    answers = [];
    const ids = [await put("acme.http-slow", { n: 1 }), await put("acme.http-slow", { n: 2 })];
    ids.push(await put("acme.http-slow", { n: 3 }));
    await eventBridge.idle();
    expect(requests).toHaveLength(3);
    expect(requests.map((r) => (JSON.parse(r.body) as EventEnvelope).id).sort()).toEqual([...ids].sort());
    expect(requests[0]).toMatchObject({ method: "PUT", path: "/slow" });
    expect(requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("user:pass word").toString("base64")}`,
    );
    // 4 a second: the third send starts in its slot, half a second after the first. Arrivals
    // are spaced less when the first request is slow on its way (a new connection on a loaded
    // machine), so this bound leaves 250 ms for that; unlimited sends arrive within a few ms.
    // The slots themselves are checked exactly in eventbridge-rate-limit.test.ts.
    const times = requests.map((r) => r.at).sort((a, b) => a - b);
    expect((times[2] as number) - (times[0] as number)).toBeGreaterThanOrEqual(250);
  });
});

describe("connections and API destinations", () => {
  it("are described, listed, updated and deleted with AWS's shapes", async () => {
    const connection = await client.send(
      new CreateConnectionCommand({
        Name: "crud-connection",
        AuthorizationType: "API_KEY",
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: "x-key", ApiKeyValue: "hidden-value" },
          InvocationHttpParameters: {
            HeaderParameters: [
              { Key: "x-plain", Value: "shown", IsValueSecret: false },
              { Key: "x-secret", Value: "hidden-header", IsValueSecret: true },
            ],
          },
        },
      }),
    );
    await expect(
      client.send(
        new CreateConnectionCommand({
          Name: "crud-connection",
          AuthorizationType: "API_KEY",
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "k", ApiKeyValue: "v" } },
        }),
      ),
    ).rejects.toMatchObject({ name: "ResourceAlreadyExistsException" });
    await expect(
      client.send(
        new CreateConnectionCommand({
          Name: "oauth",
          AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
          AuthParameters: {},
        }),
      ),
    ).rejects.toMatchObject({
      name: "OperationDisabledException",
      message: expect.stringContaining("API_KEY"),
    });
    const described = await client.send(new DescribeConnectionCommand({ Name: "crud-connection" }));
    expect(described.AuthParameters?.InvocationHttpParameters?.HeaderParameters).toEqual([
      { Key: "x-plain", Value: "shown", IsValueSecret: false },
      { Key: "x-secret", IsValueSecret: true },
    ]);
    expect(JSON.stringify(described)).not.toMatch(/hidden/);

    const created = await client.send(
      new CreateApiDestinationCommand({
        Name: "crud-destination",
        ConnectionArn: connection.ConnectionArn,
        InvocationEndpoint: "https://example.invalid/hook",
        HttpMethod: "POST",
      }),
    );
    await expect(
      client.send(
        new CreateApiDestinationCommand({
          Name: "bad-method",
          ConnectionArn: connection.ConnectionArn,
          InvocationEndpoint: "https://example.invalid/hook",
          HttpMethod: "TRACE" as "POST",
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await client.send(
      new UpdateApiDestinationCommand({ Name: "crud-destination", InvocationRateLimitPerSecond: 7 }),
    );
    expect(await client.send(new DescribeApiDestinationCommand({ Name: "crud-destination" }))).toMatchObject({
      ApiDestinationArn: created.ApiDestinationArn,
      ApiDestinationState: "ACTIVE",
      ConnectionArn: connection.ConnectionArn,
      InvocationEndpoint: "https://example.invalid/hook",
      HttpMethod: "POST",
      InvocationRateLimitPerSecond: 7,
    });
    const listed = await client.send(
      new ListApiDestinationsCommand({ ConnectionArn: connection.ConnectionArn }),
    );
    expect(listed.ApiDestinations?.map((d) => d.Name)).toEqual(["crud-destination"]);
    await client.send(new DeleteApiDestinationCommand({ Name: "crud-destination" }));
    await expect(
      client.send(new DescribeApiDestinationCommand({ Name: "crud-destination" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    const deleted = await client.send(new DeleteConnectionCommand({ Name: "crud-connection" }));
    expect(deleted.ConnectionState).toBe("DELETING");
    await expect(
      client.send(new DescribeConnectionCommand({ Name: "crud-connection" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });
});

describe("replays", () => {
  it("StartReplay with FilterArns re-sends archived events to those rules only", async () => {
    await putRule("replay-a", { source: ["acme.replay"] });
    await putRule("replay-b", { source: ["acme.replay"] });
    await client.send(
      new PutTargetsCommand({
        Rule: "replay-a",
        EventBusName: BUS,
        Targets: [subscriptionTarget("sub_a", "deliver")],
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: "replay-b",
        EventBusName: BUS,
        Targets: [subscriptionTarget("sub_b", "other")],
      }),
    );
    const from = new Date(Date.now() - 1_000);
    const eventId = await put("acme.replay", { n: 1 });
    await eventBridge.idle();
    received.length = 0;
    const to = new Date(Date.now() + 1_000);

    const started = await client.send(
      new StartReplayCommand({
        ReplayName: "replay-one",
        EventSourceArn: ARCHIVE_ARN,
        EventStartTime: from,
        EventEndTime: to,
        Destination: { Arn: BUS_ARN, FilterArns: [ruleArn("replay-a")] },
      }),
    );
    expect(started).toMatchObject({
      ReplayArn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:replay/replay-one`,
      State: "STARTING",
    });
    let state: string | undefined;
    for (let i = 0; i < 100 && state !== "COMPLETED"; i++) {
      state = (await client.send(new DescribeReplayCommand({ ReplayName: "replay-one" }))).State;
      if (state !== "COMPLETED") await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(state).toBe("COMPLETED");
    await eventBridge.idle();
    expect(receivedBy("other")).toHaveLength(0);
    const payloads = receivedBy("deliver") as Array<{ subscriptionId: string; event: EventEnvelope }>;
    expect(payloads).toHaveLength(1);
    expect(payloads[0]?.subscriptionId).toBe("sub_a");
    expect(payloads[0]?.event).toMatchObject({ id: eventId, "replay-name": "replay-one" });

    const described = await client.send(new DescribeReplayCommand({ ReplayName: "replay-one" }));
    expect(described).toMatchObject({
      ReplayName: "replay-one",
      EventSourceArn: ARCHIVE_ARN,
      Destination: { Arn: BUS_ARN, FilterArns: [ruleArn("replay-a")] },
      State: "COMPLETED",
    });
    expect(described.EventLastReplayedTime).toBeInstanceOf(Date);
    expect(described.ReplayEndTime).toBeInstanceOf(Date);
    const listed = await client.send(new ListReplaysCommand({ NamePrefix: "replay-" }));
    expect(listed.Replays?.map((r) => [r.ReplayName, r.State])).toEqual([["replay-one", "COMPLETED"]]);

    await expect(
      client.send(
        new StartReplayCommand({
          ReplayName: "replay-one",
          EventSourceArn: ARCHIVE_ARN,
          EventStartTime: from,
          EventEndTime: to,
          Destination: { Arn: BUS_ARN },
        }),
      ),
    ).rejects.toMatchObject({ name: "ResourceAlreadyExistsException" });
    await expect(
      client.send(
        new StartReplayCommand({
          ReplayName: "replay-two",
          EventSourceArn: ARCHIVE_ARN,
          EventStartTime: from,
          EventEndTime: to,
          Destination: { Arn: BUS_ARN, FilterArns: [ruleArn("no-such-rule")] },
        }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(
      client.send(
        new StartReplayCommand({
          ReplayName: "replay-three",
          EventSourceArn: ARCHIVE_ARN,
          EventStartTime: to,
          EventEndTime: from,
          Destination: { Arn: BUS_ARN },
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("lists and describes each bus's archive", async () => {
    const archives = await client.send(new ListArchivesCommand({}));
    expect(archives.Archives?.map((a) => a.ArchiveName)).toEqual(["default", BUS]);
    const archive = await client.send(new DescribeArchiveCommand({ ArchiveName: BUS }));
    expect(archive).toMatchObject({
      ArchiveArn: ARCHIVE_ARN,
      EventSourceArn: BUS_ARN,
      RetentionDays: 30,
      State: "ENABLED",
    });
  });
});
