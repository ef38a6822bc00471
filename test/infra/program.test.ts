import { createRequire } from "node:module";
import { topology } from "@allot/stacks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planDeployment } from "../../infra/plan.js";
import {
  type FakeWorld,
  installFakeSst,
  type Recorded,
  uninstallFakeSst,
  unwrap,
} from "./support/fake-sst.js";

// Runs infra/'s SST program against recording fakes of SST's globals: what it would create on
// AWS, resource by resource, must be what the plan (and so the snapshot) says.

type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };
const validate = createRequire(import.meta.url)("asl-validator") as AslValidator;

const stage = "production";
const plan = planDeployment(topology, { stage });
let world: FakeWorld;
let outputs: Record<string, unknown>;

beforeAll(async () => {
  world = installFakeSst(stage, {
    JwtIssuer: "https://issuer.example.com/",
    JwtAudiences: "allot-api, allot-cli",
    // Read only if the plan has mail senders (asserted below: the secret exists exactly then).
    MailFrom: "Allot Grants <grants@example.org>",
    // Read only if a function links the provider; the deploy drops the URLs' trailing slashes.
    ProviderUrl: "https://provider.example.org/amie/",
    ProviderSecret: "shared-with-the-provider-0123456789abcdef",
    AlarmEmail: "oncall@example.org",
  });
  // Imported by URL so that the root tsconfig does not follow it into infra/, whose SST globals
  // only tsconfig.infra.json declares.
  const entry = new URL("../../infra/index.ts", import.meta.url).href;
  const { deploy } = (await import(/* @vite-ignore */ entry)) as { deploy: () => unknown };
  outputs = unwrap(deploy()) as Record<string, unknown>;
});
afterAll(() => uninstallFakeSst());

// biome-ignore lint/suspicious/noExplicitAny: recorded arguments are asserted on field by field.
const args = (r: Recorded | undefined) => unwrap(r?.args) as Record<string, any>;
const API_URL = "https://api.execute-api.us-east-1.amazonaws.com";
const byName = (type: string, name: string) => world.ofType(type).find((r) => r.name === name);
const arnOfFunction = (name: string) => {
  const physical = plan.functions.find((f) => f.name === name)?.physicalName;
  return `arn:aws:lambda:us-east-1:123456789012:function:${physical}`;
};

describe("infra/ run against fake SST globals", () => {
  it("creates the table the plan describes: on demand, stream, TTL, point-in-time recovery", () => {
    for (const table of plan.tables) {
      const created = args(byName("sst.aws.Dynamo", table.logicalName));
      expect(created.table).toMatchObject({
        name: table.physicalName,
        billingMode: "PAY_PER_REQUEST",
        pointInTimeRecovery: { enabled: true },
      });
      expect(created).toMatchObject({ stream: table.stream, ttl: table.ttlAttribute, fields: table.fields });
      expect(Object.keys(created.globalIndexes)).toEqual(table.globalIndexes.map((i) => i.name));
    }
  });

  it("creates each bus with its archive and retention", () => {
    for (const bus of plan.buses) {
      expect(args(byName("sst.aws.Bus", bus.logicalName)).bus).toMatchObject({ name: bus.physicalName });
      expect(args(byName("aws.cloudwatch.EventArchive", bus.archive.logicalName))).toMatchObject({
        name: bus.archive.physicalName,
        retentionDays: bus.archive.retentionDays,
        eventSourceArn: `arn:aws:events:us-east-1:123456789012:event-bus/${bus.physicalName}`,
      });
    }
  });

  it("creates exactly one function per planned function, with the plan's settings, environment and grants", () => {
    expect(world.ofType("sst.aws.Function").map((r) => r.name)).toEqual(
      plan.functions.map((f) => f.logicalName),
    );
    const machineArn = (name: string) =>
      `arn:aws:states:us-east-1:123456789012:stateMachine:${plan.stateMachines.find((m) => m.name === name)?.physicalName}`;
    for (const fn of plan.functions) {
      const created = args(byName("sst.aws.Function", fn.logicalName));
      expect(created).toMatchObject({
        name: fn.physicalName,
        handler: fn.bundleHandler,
        runtime: "nodejs22.x",
        architecture: "arm64",
        timeout: `${fn.timeoutSeconds} seconds`,
        memory: `${fn.memoryMb} MB`,
        logging: { retention: fn.logRetention },
      });
      // Only secrets are linked the SST way (encrypted in the bundle, read at run time), and
      // only those the plan names: SST links of other resources would add their own grants.
      if (fn.secrets.length)
        expect(
          (created.link as Array<{ name: string }>).map((s) => s.name),
          fn.name,
        ).toEqual(fn.secrets);
      else expect(created.link, "SST links would add their own, broader grants").toBeUndefined();
      for (const [name, value] of Object.entries(fn.environment)) {
        const ref = value.ref;
        const expected =
          ref.kind === "table"
            ? plan.tables.find((t) => t.name === ref.table)?.physicalName
            : ref.kind === "bus"
              ? plan.buses.find((b) => b.name === ref.bus)?.physicalName
              : ref.kind === "stateMachine"
                ? machineArn(ref.stateMachine)
                : ref.kind === "mailIdentity"
                  ? "Allot Grants <grants@example.org>"
                  : ref.kind === "api"
                    ? API_URL
                    : ref.kind === "constant"
                      ? ref.value
                      : ref.kind === "function"
                        ? `arn:aws:lambda:us-east-1:123456789012:function:${plan.functions.find((f) => f.name === ref.function)?.physicalName}`
                        : ref.kind === "archive"
                          ? `arn:aws:events:us-east-1:123456789012:archive/${plan.buses.find((b) => b.name === ref.bus)?.archive.physicalName}`
                          : undefined;
        expect(created.environment[name], `${fn.name}: ${name}`).toBe(expected);
      }
      expect(created.permissions.map((p: { actions: string[] }) => p.actions)).toEqual(
        fn.statements.map((s) => s.actions),
      );
      expect(created.transform.function.tracingConfig, fn.name).toEqual({ mode: "Active" });
      expect(created.environment, fn.name).toMatchObject({
        POWERTOOLS_SERVICE_NAME: fn.name,
        POWERTOOLS_METRICS_NAMESPACE: `allot/${stage}`,
      });
      for (const permission of created.permissions as Array<{ actions: string[]; resources: string[] }>) {
        // X-Ray's write actions take no resource (the plan test allows exactly these on `*`).
        if (permission.actions.every((action) => action.startsWith("xray:"))) {
          expect(permission.resources).toEqual(["*"]);
          continue;
        }
        for (const resource of permission.resources) {
          // The two wildcards the plan allows by name: TestEventPattern has no resource, and the
          // subscription rules and replays are named at run time under a fixed prefix.
          if (resource === "*") {
            expect((permission as { actions?: string[] }).actions, fn.name).toEqual([
              "events:TestEventPattern",
            ]);
            continue;
          }
          expect(resource, fn.name).toMatch(/^arn:aws:/);
          expect(
            resource
              .replace(/:execution:[^:]+:\*$/, "")
              .replace(/:rule\/[^/]+\/allot-webhook-\*$/, "")
              .replace(/:replay\/\*$/, ""),
            fn.name,
          ).not.toContain("*");
        }
      }
    }
  });

  it("computes state machine ARNs (for environments and grants) that match the machines it creates", () => {
    for (const machine of plan.stateMachines) {
      const created = world.ofType("aws.sfn.StateMachine").find((r) => r.name === machine.logicalName);
      expect(created).toBeDefined();
      const arn = (outputs.stateMachines as Record<string, string>)[machine.name];
      expect(arn).toBe(`arn:aws:states:us-east-1:123456789012:stateMachine:${machine.physicalName}`);
    }
  });

  it("deploys each state machine STANDARD, from the stacks/ ASL with real function ARNs, logged", () => {
    for (const machine of plan.stateMachines) {
      const created = args(byName("aws.sfn.StateMachine", machine.logicalName));
      expect(created).toMatchObject({ name: machine.physicalName, type: "STANDARD" });
      // Execution data holds applicants' personal data: never in CloudWatch Logs.
      expect(created.loggingConfiguration).toMatchObject({ level: "ERROR", includeExecutionData: false });
      expect(created.tracingConfiguration).toEqual({ enabled: true });
      const definition = JSON.parse(created.definition);
      const text = JSON.stringify(definition);
      expect(text).not.toContain("${function:");
      for (const name of machine.invokes) expect(text).toContain(arnOfFunction(name));
      const result = validate(definition);
      expect(result.errorsText()).toBe("");

      const policy = JSON.parse(
        args(byName("aws.iam.RolePolicy", `${machine.role.logicalName}Policy`)).policy,
      );
      const invoke = policy.Statement.filter((s: { Action: string[] }) =>
        s.Action.includes("lambda:InvokeFunction"),
      );
      expect(invoke.flatMap((s: { Resource: string[] }) => s.Resource).sort()).toEqual(
        machine.invokes.map(arnOfFunction).sort(),
      );
      const logGroup = args(byName("aws.cloudwatch.LogGroup", machine.logging.logicalName));
      expect(logGroup).toMatchObject({
        name: machine.logging.logGroupName,
        retentionInDays: machine.logging.retentionDays,
      });
    }
  });

  it("creates each rule on its bus with the stacks/ pattern, retry policy, DLQ and invoke permission", () => {
    for (const rule of plan.rules) {
      const created = args(byName("aws.cloudwatch.EventRule", rule.logicalName));
      expect(JSON.parse(created.eventPattern)).toEqual(
        topology.rules.find((r) => r.name === rule.name)?.pattern,
      );
      expect(created.eventBusName).toBe(plan.buses.find((b) => b.name === rule.bus)?.physicalName);
      for (const target of rule.targets) {
        const t = args(byName("aws.cloudwatch.EventTarget", target.logicalName));
        expect(t).toMatchObject({
          arn: arnOfFunction(target.function),
          targetId: target.targetId,
          retryPolicy: {
            maximumRetryAttempts: target.retry.maximumRetryAttempts,
            maximumEventAgeInSeconds: target.retry.maximumEventAgeSeconds,
          },
        });
        const queue = plan.queues.find((q) => q.id === target.deadLetterQueue);
        expect(t.deadLetterConfig.arn).toBe(
          `arn:aws:sqs:us-east-1:123456789012:${queue?.logicalName}-generated`,
        );
        expect(args(byName("aws.lambda.Permission", `${target.logicalName}Permission`))).toMatchObject({
          principal: "events.amazonaws.com",
          function: arnOfFunction(target.function),
        });
        const queuePolicy = JSON.parse(
          args(byName("aws.sqs.QueuePolicy", `${target.logicalName}DlqPolicy`)).policy,
        );
        expect(queuePolicy.Statement[0].Condition.ArnEquals["aws:SourceArn"]).toContain(rule.physicalName);
      }
    }
  });

  it("subscribes stream consumers with the stacks/ filter and a dead-letter destination", () => {
    for (const sub of plan.streamSubscriptions) {
      const created = args(byName("aws.lambda.EventSourceMapping", sub.logicalName));
      const spec = topology.streamSubscriptions.find((s) => s.name === sub.name);
      expect(created.filterCriteria.filters.map((f: { pattern: string }) => JSON.parse(f.pattern))).toEqual([
        spec?.filter,
      ]);
      expect(created).toMatchObject({
        functionName: arnOfFunction(sub.function),
        batchSize: spec?.batchSize,
        startingPosition: "TRIM_HORIZON",
        bisectBatchOnFunctionError: true,
      });
      expect(created.eventSourceArn).toContain("/stream/");
      expect(created.destinationConfig.onFailure.destinationArn).toMatch(/^arn:aws:sqs:/);
    }
  });

  it("routes every stacks/ route to its function, behind the JWT authorizer unless public", () => {
    expect(world.routes.map((r) => r.key)).toEqual(plan.api.routes.map((r) => r.key));
    for (const route of plan.api.routes) {
      const created = world.routes.find((r) => r.key === route.key);
      expect(unwrap(created?.handler)).toBe(arnOfFunction(route.function));
      expect(unwrap(created?.args.auth)).toEqual(
        route.auth === "jwt" ? { jwt: { authorizer: "authorizer-jwt" } } : false,
      );
    }
    expect(world.authorizers).toHaveLength(1);
    expect(unwrap(world.authorizers[0]?.jwt)).toEqual({
      issuer: "https://issuer.example.com/",
      audiences: ["allot-api", "allot-cli"],
      identitySource: "$request.header.Authorization",
    });
  });

  it("gives every planned queue an SQS queue, and creates every planned alarm on the stage's one topic", () => {
    expect(world.ofType("aws.sqs.Queue").map((r) => r.name)).toEqual(plan.queues.map((q) => q.logicalName));
    expect(world.ofType("aws.cloudwatch.MetricAlarm").map((r) => r.name)).toEqual(
      plan.alarms.map((a) => a.logicalName),
    );
    const topics = world.ofType("aws.sns.Topic");
    expect(topics.map((t) => args(t).name)).toEqual([plan.alarmTopic.physicalName]);
    const topicArn = `arn:aws:sns:us-east-1:123456789012:${plan.alarmTopic.physicalName}`;
    expect(outputs.alarmTopic).toBe(topicArn);
    for (const alarm of plan.alarms) {
      const created = args(byName("aws.cloudwatch.MetricAlarm", alarm.logicalName));
      expect(created.alarmActions, alarm.logicalName).toEqual([topicArn]);
      expect(created.okActions, alarm.logicalName).toEqual([topicArn]);
      const dimension = created.dimensions[alarm.dimension.name];
      expect(dimension, alarm.logicalName).toEqual(expect.any(String));
      if (alarm.namespace === "AWS/Lambda") expect(dimension).toMatch(/^allot-production-/);
      if (alarm.namespace === "AWS/ApiGateway") expect(dimension).toBe("api-id-0123");
      if (alarm.statistic === "p99") {
        expect(created).toMatchObject({ extendedStatistic: "p99" });
        expect(created.statistic).toBeUndefined();
      } else expect(created.statistic).toBe(alarm.statistic);
    }
    // The topic mails the stage's AlarmEmail secret (one subscription, confirmed by its owner).
    expect(world.ofType("aws.sns.TopicSubscription").map((r) => ({ name: r.name, ...args(r) }))).toEqual([
      { name: "AlarmsEmail", topic: topicArn, protocol: "email", endpoint: "oncall@example.org" },
    ]);
    const dashboard = args(byName("aws.cloudwatch.Dashboard", plan.dashboard.logicalName));
    expect(dashboard.dashboardName).toBe(plan.dashboard.name);
    const widgets = JSON.parse(dashboard.dashboardBody).widgets as Array<{ properties: { title: string } }>;
    expect(widgets.map((w) => w.properties.title)).toContain("Business metrics");
    for (const fn of plan.functions.filter((f) => f.asyncInvoke)) {
      expect(
        args(byName("aws.lambda.FunctionEventInvokeConfig", `${fn.logicalName}AsyncInvoke`)),
      ).toMatchObject({
        maximumRetryAttempts: fn.asyncInvoke?.maximumRetryAttempts,
      });
    }
  });

  it("lets mail senders send only as the configured sender's SES identity", () => {
    for (const name of plan.mail?.senders ?? []) {
      const fn = plan.functions.find((f) => f.name === name);
      const created = args(byName("sst.aws.Function", fn?.logicalName ?? ""));
      const ses = (created.permissions as Array<{ actions: string[]; resources: string[] }>).filter((p) =>
        p.actions.includes("ses:SendEmail"),
      );
      expect(ses.flatMap((p) => p.resources)).toEqual([
        "arn:aws:ses:us-east-1:123456789012:identity/grants@example.org",
        "arn:aws:ses:us-east-1:123456789012:identity/example.org",
      ]);
    }
    expect(world.ofType("sst.Secret").some((r) => r.name === "MailFrom")).toBe(plan.mail !== null);
  });

  it("links the provider's secrets to its clients only, and no secret value reaches any environment", () => {
    const secrets = world.ofType("sst.Secret").map((r) => r.name);
    for (const name of ["ProviderUrl", "ProviderSecret"])
      expect(secrets.includes(name), name).toBe(plan.provider !== null);
    // The public URL is the API's own: no secret, and no second deploy to learn it.
    expect(secrets).not.toContain("PublicUrl");
    const values = ["https://provider.example.org/amie", "shared-with-the-provider-0123456789abcdef"];
    for (const fn of plan.functions) {
      const created = args(byName("sst.aws.Function", fn.logicalName));
      const environment: Record<string, string> = created.environment;
      for (const [name, value] of Object.entries(environment))
        for (const secret of values) expect(value, `${fn.name}: ${name}`).not.toContain(secret);
      expect("ALLOT_PROVIDER_SECRET" in environment, fn.name).toBe(false);
      expect("ALLOT_PROVIDER_URL" in environment, fn.name).toBe(false);
      const client = plan.provider?.clients.includes(fn.name) ?? false;
      const linked = ((created.link ?? []) as Array<{ name: string }>).map((s) => s.name);
      expect(linked.includes("ProviderSecret"), fn.name).toBe(client);
      if (client) expect(environment.ALLOT_PUBLIC_URL, fn.name).toBe(API_URL);
    }
  });

  it("deploys a new stage in one pass: the API exists before the functions, its routes after", () => {
    const order = world.resources.map((r) => r.type);
    expect(order.indexOf("sst.aws.ApiGatewayV2")).toBeGreaterThanOrEqual(0);
    expect(order.indexOf("sst.aws.ApiGatewayV2")).toBeLessThan(order.indexOf("sst.aws.Function"));
    expect(world.routes.length).toBe(plan.api.routes.length);
    // Every secret a function reads is set before the first deploy (sst secret set); none is
    // an output of this deploy.
    const needed = new Set(plan.functions.flatMap((fn) => fn.secrets));
    expect([...needed].sort()).toEqual(
      [
        ...(plan.provider ? ["ProviderSecret", "ProviderUrl"] : []),
        ...(plan.registries ? ["GitHubToken"] : []),
      ].sort(),
    );
  });

  it("exports the API URL, the bus name and ARN, and the table name", () => {
    expect(outputs).toMatchObject({
      api: expect.stringMatching(/^https:\/\//),
      table: plan.tables[0]?.physicalName,
      bus: plan.buses[0]?.physicalName,
      busArn: expect.stringMatching(/^arn:aws:events:/),
    });
  });
});
