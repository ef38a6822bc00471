import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type FunctionSpec, type Link, type Topology, topology } from "@allot/stacks";
import { envForLink, GITHUB_TOKEN_SECRET, providerEnv } from "@allot/stacks/env";
import { describe, expect, it } from "vitest";
import {
  deployedTopology,
  describeRef,
  HTTP_API_TIMEOUT_SECONDS,
  httpsBaseUrl,
  LAMBDA_ARCHITECTURE,
  LAMBDA_RUNTIME,
  type Plan,
  PlanError,
  PROVIDER_SECRETS,
  planDeployment,
  type Ref,
  sharedSecret,
  TABLE_WRITE_ACTIONS,
  UNSCOPED_LOG_DELIVERY_ACTIONS,
  UNSCOPED_XRAY_ACTIONS,
} from "../../infra/plan.js";
import { stageSettings } from "../../infra/stage.js";

const root = resolve(import.meta.dirname, "../..");
const plan = planDeployment(topology, { stage: "production" });
/** stacks/ as deployed: without what only the local runtime serves. */
const onAws = deployedTopology(topology);

/** The ARN a reference becomes on AWS (account and region faked), to look for wildcards. */
const pseudoArn = (ref: Ref, p: Plan): string => {
  const table = (name: string) => p.tables.find((t) => t.name === name)?.physicalName ?? `?${name}`;
  const machine = (name: string) => p.stateMachines.find((m) => m.name === name)?.physicalName ?? `?${name}`;
  const prefix = (service: string) => `arn:aws:${service}:us-east-1:123456789012`;
  switch (ref.kind) {
    case "table":
      return `${prefix("dynamodb")}:table/${table(ref.table)}`;
    case "index":
      return `${prefix("dynamodb")}:table/${table(ref.table)}/index/${ref.index}`;
    case "stream":
      return `${prefix("dynamodb")}:table/${table(ref.table)}/stream/2026-01-01T00:00:00.000`;
    case "bus":
      return `${prefix("events")}:event-bus/${p.buses.find((b) => b.name === ref.bus)?.physicalName}`;
    case "stateMachine":
      return `${prefix("states")}:stateMachine:${machine(ref.stateMachine)}`;
    case "executions":
      return `${prefix("states")}:execution:${machine(ref.stateMachine)}:*`;
    case "queue":
      return `${prefix("sqs")}:${p.app}-${p.stage}-${ref.queue}`;
    case "function":
      return `${prefix("lambda")}:function:${p.functions.find((f) => f.name === ref.function)?.physicalName}`;
    case "mailIdentity":
      return `${prefix("ses")}:identity/${ref.form === "address" ? "grants@example.org" : "example.org"}`;
    case "secret":
      // A secret is linked, never a grant's resource: "?" fails the checks below.
      return `?secret:${ref.secret}`;
    case "subscriptionRules":
      return `${prefix("events")}:rule/${p.buses.find((b) => b.name === ref.bus)?.physicalName}/allot-webhook-*`;
    case "archive":
      return `${prefix("events")}:archive/${p.buses.find((b) => b.name === ref.bus)?.archive.physicalName}`;
    case "replays":
      return `${prefix("events")}:replay/*`;
    case "constant":
      // A constant is an environment value, never a grant's resource: "?" fails the checks below.
      return `?constant:${ref.value}`;
    case "api":
      // Functions read the API's URL, never act on it: "?" fails the checks below.
      return "?api";
    case "wildcard":
      return "*";
  }
};

const key = (ref: Ref) => JSON.stringify(ref);

/** What each link sets in the environment, written out independently of infra/plan/grants.ts. */
const expectedEnv = (link: Link): Record<string, unknown> => {
  switch (link.kind) {
    case "table":
      return { [envForLink(link)]: { ref: { kind: "table", table: link.table }, attribute: "name" } };
    case "bus":
      return { [envForLink(link)]: { ref: { kind: "bus", bus: link.bus }, attribute: "name" } };
    case "stateMachine":
      return {
        [envForLink(link)]: {
          ref: { kind: "stateMachine", stateMachine: link.stateMachine },
          attribute: "arn",
        },
      };
    case "mail":
      return { [envForLink(link)]: { ref: { kind: "mailIdentity", form: "address" }, attribute: "name" } };
    case "provider":
      // Only the public URL (the API's own); the provider's URL and secret are linked secrets.
      return { [providerEnv.publicUrl]: { ref: { kind: "api" }, attribute: "url" } };
    case "registries":
      return {};
    case "subscriptionRules":
      return {
        ALLOT_SUBSCRIPTION_RULE_PREFIX: {
          ref: { kind: "constant", value: "allot-webhook-" },
          attribute: "name",
        },
        ALLOT_SUBSCRIPTION_BUS: { ref: { kind: "bus", bus: "allot" }, attribute: "name" },
        ALLOT_WEBHOOK_DELIVER_FUNCTION_ARN: {
          ref: { kind: "function", function: "deliver-webhook" },
          attribute: "arn",
        },
        ALLOT_BUS_ARCHIVE_ARN: { ref: { kind: "archive", bus: "allot" }, attribute: "arn" },
      };
    case "webhooks":
      // ALLOT_WEBHOOK_ALLOW_LOOPBACK stays unset on AWS: loopback endpoints are refused there.
      return {};
  }
};

describe("the deployment plan derived from stacks/", () => {
  it("matches the reviewed snapshot (a topology change shows up here as a diff)", async () => {
    // References are written in their short form ("table:allot/index/gsi1") to keep it readable.
    const readable = JSON.stringify(
      plan,
      (key, value) =>
        key === "resources"
          ? (value as Ref[]).map(describeRef)
          : key === "ref"
            ? describeRef(value as Ref)
            : value,
      2,
    );
    await expect(`${readable}\n`).toMatchFileSnapshot("./__snapshots__/plan.production.json");
  });

  it("creates one function per stacks/ function, nodejs22.x on arm64, and one route, rule, machine per spec", () => {
    expect(plan.functions.map((f) => f.name)).toEqual(onAws.functions.map((f) => f.name));
    for (const fn of plan.functions) {
      expect(fn.runtime).toBe(LAMBDA_RUNTIME);
      expect(fn.architecture).toBe(LAMBDA_ARCHITECTURE);
    }
    expect(plan.api.routes.map((r) => r.key)).toEqual(onAws.routes.map((r) => `${r.method} ${r.path}`));
    expect(plan.rules.map((r) => r.name)).toEqual(topology.rules.map((r) => r.name));
    expect(plan.stateMachines.map((m) => m.name)).toEqual(topology.stateMachines.map((m) => m.name));
    expect(plan.streamSubscriptions.map((s) => s.name)).toEqual(
      topology.streamSubscriptions.map((s) => s.name),
    );
  });

  it("leaves out what only the local runtime serves: the integration client routes (Cognito's on AWS)", () => {
    const local = topology.routes.filter((r) => r.localOnly).map((r) => `${r.method} ${r.path}`);
    expect(local).toEqual([
      "POST /integrations/clients",
      "GET /integrations/clients",
      "GET /integrations/clients/{clientId}",
      "POST /integrations/clients/{clientId}/revoke",
    ]);
    expect(plan.api.routes.map((r) => r.key).filter((key) => key.includes("/integrations/clients"))).toEqual(
      [],
    );
    expect(plan.functions.map((f) => f.name).filter((name) => name.includes("integration-client"))).toEqual(
      [],
    );
    // Every function a deployed route names is deployed.
    const functions = new Set(plan.functions.map((f) => f.name));
    for (const route of onAws.routes) expect(functions).toContain(route.function);
  });

  it("puts every non-public route behind the JWT authorizer, and only public ones outside it", () => {
    for (const route of onAws.routes) {
      const planned = plan.api.routes.find((r) => r.key === `${route.method} ${route.path}`);
      expect(planned?.auth, planned?.key).toBe(route.public ? "none" : "jwt");
    }
    // The provider's webhook: signed with the shared secret (its handler checks), no bearer token.
    expect(plan.api.routes.find((r) => r.key === "POST /provider/notifications")).toMatchObject({
      auth: "none",
      roles: [],
    });
  });

  it("uses `*` on no data resource: only the CloudWatch Logs delivery and X-Ray actions, which AWS does not scope", () => {
    const statements = [
      ...plan.functions.flatMap((f) => f.statements.map((s) => ({ owner: `function ${f.name}`, ...s }))),
      ...plan.stateMachines.flatMap((m) =>
        m.role.statements.map((s) => ({ owner: `machine ${m.name}`, ...s })),
      ),
    ];
    for (const statement of statements) {
      for (const ref of statement.resources) {
        const arn = pseudoArn(ref, plan);
        if (ref.kind === "wildcard" && statement.actions.every((a) => a === "events:TestEventPattern")) {
          // AWS has no resource for TestEventPattern; it reads nothing and changes nothing.
          expect(statement.owner.startsWith("function"), statement.why).toBe(true);
          continue;
        }
        if (ref.kind === "wildcard") {
          // Functions trace to X-Ray; machines trace and deliver their logs. Nothing else on `*`.
          const allowed: readonly string[] = statement.owner.startsWith("machine")
            ? [...UNSCOPED_LOG_DELIVERY_ACTIONS, ...UNSCOPED_XRAY_ACTIONS]
            : UNSCOPED_XRAY_ACTIONS;
          for (const action of statement.actions) {
            expect(allowed, `${statement.owner}: ${action} on *`).toContain(action);
          }
          continue;
        }
        // The wildcards allowed on data: the execution-name segment of ONE named machine, the
        // name segment after the subscription prefix on ONE bus, and replay names.
        const scoped =
          ref.kind === "executions"
            ? arn.replace(/:\*$/, "")
            : ref.kind === "subscriptionRules"
              ? arn.replace(/\/allot-webhook-\*$/, "/allot-webhook-")
              : ref.kind === "replays"
                ? arn.replace(/\/\*$/, "/")
                : arn;
        expect(scoped, `${statement.owner}: ${statement.why}`).not.toContain("*");
        expect(arn).not.toContain("?");
      }
      for (const action of statement.actions) expect(action, statement.owner).not.toContain("*");
    }
  });

  it("grants each function only the resources its links (and its own triggers and queues) name", () => {
    for (const spec of onAws.functions) {
      const fn = plan.functions.find((f) => f.name === spec.name);
      expect(fn).toBeDefined();
      if (!fn) continue;
      const allowed = new Set<string>();
      for (const link of spec.links) {
        switch (link.kind) {
          case "table":
            allowed.add(key({ kind: "table", table: link.table }));
            for (const index of topology.tables.find((t) => t.name === link.table)?.globalIndexes ?? []) {
              allowed.add(key({ kind: "index", table: link.table, index: index.name }));
            }
            break;
          case "bus":
            allowed.add(key({ kind: "bus", bus: link.bus }));
            break;
          case "stateMachine":
            allowed.add(key({ kind: "stateMachine", stateMachine: link.stateMachine }));
            if (link.actions.includes("read"))
              allowed.add(key({ kind: "executions", stateMachine: link.stateMachine }));
            break;
          case "mail":
            // The sender's SES identity: its address and its domain, whichever the account verified.
            allowed.add(key({ kind: "mailIdentity", form: "address" }));
            allowed.add(key({ kind: "mailIdentity", form: "domain" }));
            break;
          case "provider":
            // Plain HTTPS to the provider, signed with the shared secret: it allows nothing on AWS.
            break;
          case "registries":
            // Plain HTTPS to public registries and GitHub: nothing on AWS.
            break;
          case "subscriptionRules":
            // Its own rules (prefix), the archive and replays; TestEventPattern on * (checked above).
            allowed.add(key({ kind: "subscriptionRules", bus: "allot" }));
            allowed.add(key({ kind: "archive", bus: "allot" }));
            allowed.add(key({ kind: "replays" }));
            allowed.add(key({ kind: "wildcard", reason: "events:TestEventPattern is not resource-scoped" }));
            break;
          case "webhooks":
            // Plain HTTPS to subscribers: nothing on AWS.
            break;
          default:
            throw new Error(`a link kind this test does not know: ${JSON.stringify(link satisfies never)}`);
        }
      }
      for (const sub of plan.streamSubscriptions.filter((s) => s.function === spec.name)) {
        allowed.add(key({ kind: "stream", table: sub.table }));
        allowed.add(key({ kind: "queue", queue: sub.onFailureQueue }));
      }
      if (fn.asyncInvoke) allowed.add(key({ kind: "queue", queue: fn.asyncInvoke.onFailureQueue }));
      // Every function traces to X-Ray (its actions alone on `*`: see the wildcard test above).
      allowed.add(key({ kind: "wildcard", reason: "X-Ray's write actions are not resource-scoped" }));

      for (const statement of fn.statements) {
        for (const ref of statement.resources)
          expect([...allowed], `${spec.name}: ${statement.why}`).toContain(key(ref));
      }
    }
  });

  it("never lets a read-only table link write", () => {
    const writes = new Set<string>(TABLE_WRITE_ACTIONS);
    for (const spec of onAws.functions) {
      const fn = plan.functions.find((f) => f.name === spec.name);
      for (const link of spec.links) {
        if (link.kind !== "table" || link.access !== "read") continue;
        if (spec.links.some((l) => l.kind === "table" && l.table === link.table && l.access === "readwrite"))
          continue;
        const onTable = (fn?.statements ?? []).filter((s) =>
          s.resources.some((r) => (r.kind === "table" || r.kind === "index") && r.table === link.table),
        );
        for (const statement of onTable) {
          expect(
            statement.actions.filter((a) => writes.has(a)),
            spec.name,
          ).toEqual([]);
        }
      }
    }
  });

  it("gives the state machine role exactly the functions its tasks invoke", () => {
    for (const machine of plan.stateMachines) {
      const invoke = machine.role.statements.filter((s) => s.actions.includes("lambda:InvokeFunction"));
      const functions = invoke.flatMap((s) =>
        s.resources.map((r) => (r.kind === "function" ? r.function : `!${r.kind}`)),
      );
      const spec = topology.stateMachines.find((m) => m.name === machine.name);
      expect(functions.sort()).toEqual([...new Set(spec?.functions)].sort());
    }
  });

  it("sets each link's environment variables to what the local runtime sets: names, machine ARNs, the sender, the provider's secrets", () => {
    for (const fn of plan.functions) {
      const spec = topology.functions.find((f) => f.name === fn.name) as FunctionSpec;
      const expected = Object.assign({}, ...spec.links.map(expectedEnv)) as Record<string, unknown>;
      expect(Object.keys(fn.environment).sort(), fn.name).toEqual(Object.keys(expected).sort());
      for (const [name, value] of Object.entries(expected))
        expect(fn.environment[name], `${fn.name}: ${name}`).toEqual(value);
    }
  });

  it("gives a provider link its secrets as SST links, the API's URL as the public URL, and no IAM grant", () => {
    const clients = topology.functions.filter((f) => f.links.some((l) => l.kind === "provider"));
    expect(plan.provider?.clients ?? []).toEqual(clients.map((f) => f.name));
    if (clients.length) {
      expect(plan.provider).toMatchObject({
        urlSecret: PROVIDER_SECRETS.url,
        sharedSecret: PROVIDER_SECRETS.secret,
      });
    }
    for (const spec of clients) {
      const fn = plan.functions.find((f) => f.name === spec.name);
      const without = planDeployment(
        {
          ...topology,
          functions: topology.functions.map((f) =>
            f.name === spec.name ? { ...f, links: f.links.filter((l) => l.kind !== "provider") } : f,
          ),
        },
        { stage: "production" },
      ).functions.find((f) => f.name === spec.name);
      expect(fn?.statements, `${spec.name}: the provider link adds no statement`).toEqual(
        without?.statements,
      );
      expect(fn?.secrets, spec.name).toEqual(expect.arrayContaining(["ProviderUrl", "ProviderSecret"]));
      expect(fn?.environment[providerEnv.publicUrl], spec.name).toEqual({
        ref: { kind: "api" },
        attribute: "url",
      });
      expect(fn?.environment[providerEnv.url], spec.name).toBeUndefined();
      expect(fn?.environment[providerEnv.secret], spec.name).toBeUndefined();
    }
  });

  it("puts no secret in any function's environment: secrets are linked and read at run time", () => {
    const secretNames = new Set([
      PROVIDER_SECRETS.url,
      PROVIDER_SECRETS.secret,
      GITHUB_TOKEN_SECRET,
      "MailFrom",
    ]);
    for (const fn of plan.functions) {
      for (const [name, value] of Object.entries(fn.environment)) {
        expect(value.ref.kind, `${fn.name}: ${name}`).not.toBe("secret");
        expect(value.attribute, `${fn.name}: ${name}`).not.toBe("value");
        expect(JSON.stringify(value), `${fn.name}: ${name}`).not.toMatch(
          /ProviderUrl|ProviderSecret|GitHubToken/,
        );
      }
      for (const secret of fn.secrets) expect([...secretNames], fn.name).toContain(secret);
    }
    // A new stage deploys in one pass: nothing a function reads waits on a second deploy.
    expect(plan.functions.flatMap((fn) => fn.secrets)).not.toContain("PublicUrl");
  });

  it("links the GitHub token secret to the functions with a registries link, and grants or sets nothing else", () => {
    // Whichever functions stacks/ links today, a copy of the first function shows the rule.
    const [first] = topology.functions;
    if (!first) throw new Error("stacks/ has no function");
    const withLink = planDeployment(
      {
        ...topology,
        functions: topology.functions.map((f) =>
          f.name === first.name ? { ...f, links: [...f.links, { kind: "registries" }] } : f,
        ),
      },
      { stage: "production" },
    );
    const linkedToday = topology.functions
      .filter((f) => f.name !== first.name && f.links.some((l) => l.kind === "registries"))
      .map((f) => f.name);
    expect(withLink.registries).toEqual({
      githubTokenSecret: GITHUB_TOKEN_SECRET,
      clients: [first.name, ...linkedToday],
    });
    const before = plan.functions.find((f) => f.name === first.name);
    const after = withLink.functions.find((f) => f.name === first.name);
    // The real endpoints are the adapters' defaults and the token travels as an SST link.
    expect(after?.environment).toEqual(before?.environment);
    expect(after?.statements).toEqual(before?.statements);
    expect(after?.secrets).toContain(GITHUB_TOKEN_SECRET);
    const linked = topology.functions.filter((f) => f.links.some((l) => l.kind === "registries"));
    expect(plan.registries?.clients ?? []).toEqual(linked.map((f) => f.name));
  });

  it("gives every asynchronous target and stream a dead-letter queue, and every queue an alarm", () => {
    for (const rule of plan.rules) {
      for (const target of rule.targets) {
        expect(plan.queues.map((q) => q.id)).toContain(target.deadLetterQueue);
        expect(plan.functions.find((f) => f.name === target.function)?.asyncInvoke).toBeDefined();
      }
    }
    for (const sub of plan.streamSubscriptions)
      expect(plan.queues.map((q) => q.id)).toContain(sub.onFailureQueue);
    for (const queue of plan.queues) {
      expect(
        plan.alarms.some((a) => {
          const value = a.dimension.value;
          return "ref" in value && value.ref.kind === "queue" && value.ref.queue === queue.id;
        }),
        queue.id,
      ).toBe(true);
    }
    for (const machine of plan.stateMachines) {
      expect(
        plan.alarms.some(
          (a) => a.metricName === "ExecutionsFailed" && JSON.stringify(a.dimension).includes(machine.name),
        ),
      ).toBe(true);
    }
  });

  it("keeps every route's function within API Gateway's integration timeout", () => {
    for (const route of plan.api.routes) {
      const fn = plan.functions.find((f) => f.name === route.function);
      expect(fn?.timeoutSeconds, route.key).toBeLessThan(HTTP_API_TIMEOUT_SECONDS);
    }
  });

  it("fits AWS name limits with a personal stage of up to 20 characters", () => {
    expect(() => planDeployment(topology, { stage: "a-twenty-char-stage1" })).not.toThrow();
  });
});

describe("schedules", () => {
  const withSchedule = (expression: `rate(${string})` | `cron(${string})`) => {
    const copy = structuredClone(topology) as Topology;
    const target = topology.rules[0]?.targets[0]?.function as string;
    copy.schedules.push({
      name: "nightly-check",
      description: "a check every night",
      expression,
      function: target,
      retry: { maximumRetryAttempts: 4, maximumEventAgeSeconds: 3600 },
    });
    return { copy, target };
  };

  it("become scheduled rules on the default bus, with retry policy, dead-letter queue, alarm and async invoke", () => {
    const { copy, target } = withSchedule("cron(0 3 * * ? *)");
    const planned = planDeployment(copy, { stage: "production" });
    const schedule = planned.schedules.find((s) => s.name === "nightly-check");
    expect(schedule).toEqual({
      name: "nightly-check",
      logicalName: "ScheduleNightlyCheck",
      physicalName: "allot-production-nightly-check",
      description: "a check every night",
      scheduleExpression: "cron(0 3 * * ? *)",
      targets: [
        {
          function: target,
          targetId: target,
          retry: { maximumRetryAttempts: 4, maximumEventAgeSeconds: 3600 },
          deadLetterQueue: `schedule-nightly-check-${target}`,
          logicalName: `ScheduleNightlyCheckTarget${target
            .split("-")
            .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
            .join("")}`,
        },
      ],
    });
    expect(planned.queues.find((q) => q.id === `schedule-nightly-check-${target}`)?.receives).toEqual({
      kind: "scheduleTarget",
      schedule: "nightly-check",
      function: target,
    });
    expect(
      planned.alarms.some(
        (a) =>
          "ref" in a.dimension.value &&
          a.dimension.value.ref.kind === "queue" &&
          a.dimension.value.ref.queue === `schedule-nightly-check-${target}`,
      ),
    ).toBe(true);
    const fn = planned.functions.find((f) => f.name === target);
    expect(fn?.invokedBy).toContainEqual({ kind: "schedule", schedule: "nightly-check" });
    expect(fn?.asyncInvoke).toBeDefined();
  });

  it("are every stacks/ schedule, in order", () => {
    expect(plan.schedules.map((s) => s.name)).toEqual(topology.schedules.map((s) => s.name));
  });

  it.each([["cron(0 3 * * *)"], ["rate(1 fortnight)"], ["rate(five minutes)"]] as const)(
    "refuse the expression %s",
    (expression) => {
      const { copy } = withSchedule(expression as `cron(${string})`);
      expect(() => planDeployment(copy, { stage: "dev" })).toThrow(
        /is not EventBridge's rate\(n unit\) or 6-field cron/,
      );
    },
  );

  it("share the rules' name space", () => {
    const { copy } = withSchedule("rate(1 day)");
    (copy.schedules[copy.schedules.length - 1] as { name: string }).name = topology.rules[0]?.name as string;
    expect(() => planDeployment(copy, { stage: "dev" })).toThrow(/is declared twice/);
  });
});

describe("the plan refuses a topology it cannot deploy", () => {
  const broken = (change: (t: Topology) => void): string[] => {
    const copy = structuredClone(topology) as Topology;
    change(copy);
    try {
      planDeployment(copy, { stage: "dev" });
      return [];
    } catch (error) {
      expect(error).toBeInstanceOf(PlanError);
      return (error as PlanError).problems;
    }
  };

  it("a route to an undeclared function", () => {
    const problems = broken((t) =>
      t.routes.push({ method: "GET", path: "/nope", function: "nope", roles: ["staff"] }),
    );
    expect(problems.join("\n")).toContain(`names the function "nope"`);
  });

  it("a route whose function outlives API Gateway's timeout", () => {
    const problems = broken((t) => {
      const routed = t.functions.find((f) => f.name === t.routes[0]?.function);
      if (routed) routed.timeoutSeconds = 60;
    });
    expect(problems.join("\n")).toContain("API Gateway answers 503");
  });

  it("a Task integration infra/ cannot grant", () => {
    const problems = broken((t) => {
      const machine = t.stateMachines[0];
      if (!machine) return;
      const states = machine.definition.States as Record<string, Record<string, unknown>>;
      states.Publish = {
        Type: "Task",
        Resource: "arn:aws:states:::events:putEvents",
        Parameters: {},
        End: true,
      };
    });
    expect(problems.join("\n")).toContain("is not supported by infra/ yet");
  });

  it("a Task whose FunctionName is not a placeholder", () => {
    const problems = broken((t) => {
      const machine = t.stateMachines[0];
      if (!machine) return;
      const states = machine.definition.States as Record<string, Record<string, unknown>>;
      states.Dynamic = {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { "FunctionName.$": "$.fn" },
        End: true,
      };
    });
    expect(problems.join("\n")).toContain("placeholder");
  });

  it("a link to an undeclared table", () => {
    const problems = broken((t) =>
      t.functions[0]?.links.push({ kind: "table", table: "ghost", access: "read" }),
    );
    expect(problems.join("\n")).toContain(`undeclared table "ghost"`);
  });

  it("names over AWS's limits for the stage being deployed", () => {
    expect(() => planDeployment(topology, { stage: "x".repeat(60) })).toThrow(/over AWS's 64/);
  });
});

describe("checks on secret values at deploy time", () => {
  it("takes an https base URL and drops its trailing slash", () => {
    expect(httpsBaseUrl("PublicUrl", "https://abc123.execute-api.eu-west-1.amazonaws.com/")).toBe(
      "https://abc123.execute-api.eu-west-1.amazonaws.com",
    );
    expect(httpsBaseUrl("ProviderUrl", " https://provider.example.org/amie// ")).toBe(
      "https://provider.example.org/amie",
    );
    expect(() => httpsBaseUrl("PublicUrl", "http://allot.example.org")).toThrow(/https/);
    expect(() => httpsBaseUrl("PublicUrl", "allot.example.org")).toThrow(/not a URL/);
    expect(() => httpsBaseUrl("ProviderUrl", "https://provider.example.org/?x=1")).toThrow(/query/);
  });

  it("takes a shared secret as given, but not empty or padded", () => {
    expect(sharedSecret("ProviderSecret", "0123456789abcdef")).toBe("0123456789abcdef");
    expect(() => sharedSecret("ProviderSecret", "  ")).toThrow(/empty/);
    expect(() => sharedSecret("ProviderSecret", "abc\n")).toThrow(/whitespace/);
  });
});

describe("stages", () => {
  it("protects and retains production only, as sst.config.ts does", () => {
    expect(stageSettings("production").production).toBe(true);
    expect(stageSettings("staging").production).toBe(false);
    expect(stageSettings("alice").production).toBe(false);
    const config = readFileSync(resolve(root, "sst.config.ts"), "utf8");
    expect(config).toMatch(/const production = input\?\.stage === "production";/);
    expect(config).toMatch(/removal: production \? "retain" : "remove"/);
    expect(config).toMatch(/protect: production,/);
    expect(stageSettings("production").tableDeletionProtection).toBe(true);
  });
});

describe("infra/ is generic over stacks/", () => {
  it("names no function, route, rule or state machine by hand", () => {
    const names = [
      ...topology.functions.map((f) => f.name),
      ...topology.routes.map((r) => r.path),
      ...topology.rules.map((r) => r.name),
      ...topology.schedules.map((s) => s.name),
      ...topology.stateMachines.map((m) => m.name),
    ];
    const files = readdirSync(resolve(root, "infra"), { recursive: true, encoding: "utf8" }).filter((f) =>
      /\.(ts|mjs)$/.test(f),
    );
    for (const file of [...files.map((f) => `infra/${f}`), "sst.config.ts"]) {
      const source = readFileSync(resolve(root, file), "utf8");
      for (const name of names) expect(source, `${file} mentions "${name}"`).not.toContain(`"${name}"`);
    }
  });
});
