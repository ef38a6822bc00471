// The deployment plan: everything infra/ creates on AWS, derived from stacks/ as plain data.
//
// The SST components in infra/ build their resources FROM this plan (names, environment, IAM
// statements, retry policies, filters, alarms), and test/infra snapshots it. So the reviewed
// snapshot and the deployment cannot drift apart, and a change to stacks/ shows up as a diff.
//
// No SST or Pulumi import here (nor in infra/plan/ and infra/stage.ts): vitest imports them.

import { bus, type Link, type RetryPolicy, type TableSpec, type Topology } from "@allot/stacks";
import { GITHUB_TOKEN_SECRET, WEBHOOK_DELIVER_FUNCTION } from "@allot/stacks/env";
import { TABLE_ENTITIES } from "@allot/stacks/table-access";
import { partnerAccountsOf } from "./partners.js";
import { planAlarms } from "./plan/alarms.js";
import { tasksOf } from "./plan/asl.js";
import { partnerAccountProblems } from "./plan/bus-policy.js";
import { envFor, grantsFor, STREAM_READ_ACTIONS, secretsFor } from "./plan/grants.js";
import { NAME_LIMITS, parseHandler, pascal, physical } from "./plan/names.js";
import {
  ALARM_EMAIL_SECRET,
  type BusPlan,
  DLQ_RETENTION_SECONDS,
  type FunctionPlan,
  HTTP_API_TIMEOUT_SECONDS,
  type Invoker,
  LAMBDA_ARCHITECTURE,
  LAMBDA_RUNTIME,
  type Plan,
  PlanError,
  PROVIDER_SECRETS,
  type QueuePlan,
  type QueueSource,
  type Ref,
  type RoutePlan,
  type RulePlan,
  type RuleTargetPlan,
  type ScheduledRulePlan,
  type StateMachinePlan,
  type Statement,
  type StreamSubscriptionPlan,
  type TablePlan,
  UNSCOPED_LOG_DELIVERY_ACTIONS,
  UNSCOPED_XRAY_ACTIONS,
  type ValueRef,
} from "./plan/types.js";
import { retentionDays, type StageSettings, stageSettings } from "./stage.js";

export * from "./plan/alarms.js";
export * from "./plan/asl.js";
export * from "./plan/bus-policy.js";
export * from "./plan/grants.js";
export * from "./plan/names.js";
export * from "./plan/secrets.js";
export * from "./plan/types.js";

export interface PlanOptions {
  stage: string;
  /** The partner accounts allowed rules on the bus (default: infra/partners.ts for the stage). */
  partnerAccounts?: string[];
}

/** EventBridge's ScheduleExpression, by shape (the local runtime parses it in full at start). */
const SCHEDULE_EXPRESSION = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/;

/** What AWS gets: stacks/ without what only the local runtime serves (each says why). */
export const deployedTopology = (topology: Topology): Topology => ({
  ...topology,
  functions: topology.functions.filter((f) => f.localOnly === undefined),
  routes: topology.routes.filter((r) => r.localOnly === undefined),
});

export const planDeployment = (stacks: Topology, options: PlanOptions): Plan => {
  const topology = deployedTopology(stacks);
  const { app } = topology;
  const { stage } = options;
  const settings = stageSettings(stage);
  const problems: string[] = [];

  if (!/^[a-zA-Z0-9-]+$/.test(stage)) problems.push(`stage "${stage}": use letters, digits and hyphens only`);

  const named = (kind: keyof typeof NAME_LIMITS, name: string) => {
    const limit = NAME_LIMITS[kind];
    if (name.length > limit.max) {
      problems.push(
        `${kind} name "${name}" is ${name.length} characters, over AWS's ${limit.max} (shorten the stage or the name)`,
      );
    }
    if (!limit.pattern.test(name)) problems.push(`${kind} name "${name}" has characters AWS does not allow`);
    return name;
  };

  const duplicates = (what: string, names: string[]) => {
    for (const [i, name] of names.entries()) {
      if (names.indexOf(name) !== i) problems.push(`${what} "${name}" is declared twice`);
    }
  };
  const declared: Array<[string, string[]]> = [
    ["table", topology.tables.map((t) => t.name)],
    ["bus", topology.buses.map((b) => b.name)],
    ["function", topology.functions.map((f) => f.name)],
    ["route", topology.routes.map((r) => `${r.method} ${r.path}`)],
    // Pattern rules (custom bus) and scheduled rules (default bus) share one name space here.
    ["rule", [...topology.rules, ...topology.schedules].map((r) => r.name)],
    ["stream subscription", topology.streamSubscriptions.map((s) => s.name)],
    ["state machine", topology.stateMachines.map((m) => m.name)],
  ];
  for (const [what, names] of declared) duplicates(what, names);

  const tableByName = new Map(topology.tables.map((t) => [t.name, t]));
  const busNames = new Set(topology.buses.map((b) => b.name));
  const machineNames = new Set(topology.stateMachines.map((m) => m.name));
  const functionByName = new Map(topology.functions.map((f) => [f.name, f]));
  const requireFunction = (name: string, where: string) => {
    if (!functionByName.has(name))
      problems.push(`${where} names the function "${name}", which stacks/ does not declare`);
  };

  // Every function and machine traces to X-Ray; business metrics go to one namespace per stage.
  const metricsNamespace = `${app}/${stage}`;
  const xrayStatement: Statement = {
    why: "send X-Ray trace segments (active tracing; these actions take no resource)",
    actions: [...UNSCOPED_XRAY_ACTIONS],
    resources: [{ kind: "wildcard", reason: "X-Ray's write actions are not resource-scoped" }],
  };

  // Tables and buses ------------------------------------------------------------------------
  const tables: TablePlan[] = topology.tables.map((table) =>
    planTable(table, app, stage, settings, named, problems),
  );

  const buses: BusPlan[] = topology.buses.map((bus) => {
    if (!Number.isInteger(bus.archiveRetentionDays) || bus.archiveRetentionDays < 1) {
      problems.push(`bus "${bus.name}": the archive retention must be a whole number of days, at least 1`);
    }
    return {
      name: bus.name,
      logicalName: `Bus${pascal(bus.name)}`,
      physicalName: named("bus", physical(app, stage, bus.name)),
      archive: {
        logicalName: `Bus${pascal(bus.name)}Archive`,
        physicalName: named("archive", physical(app, stage, `${bus.name}-archive`)),
        retentionDays: bus.archiveRetentionDays,
      },
    };
  });

  // Queues: one per rule target, per asynchronously invoked function, per stream subscription.
  const queues: QueuePlan[] = [];
  const addQueue = (id: string, receives: QueueSource): string => {
    queues.push({ id, logicalName: `Dlq${pascal(id)}`, receives, retentionSeconds: DLQ_RETENTION_SECONDS });
    return id;
  };

  // Who invokes each function ---------------------------------------------------------------
  const invokers = new Map<string, Invoker[]>(topology.functions.map((f) => [f.name, []]));
  const invokedBy = (fn: string, invoker: Invoker) => invokers.get(fn)?.push(invoker);

  // Routes --------------------------------------------------------------------------------------
  const routes: RoutePlan[] = topology.routes.map((route) => {
    const key = `${route.method} ${route.path}`;
    requireFunction(route.function, `route "${key}"`);
    const fn = functionByName.get(route.function);
    if (fn && fn.timeoutSeconds >= HTTP_API_TIMEOUT_SECONDS) {
      problems.push(
        `route "${key}": its function "${fn.name}" may run ${fn.timeoutSeconds} s, but API Gateway answers 503 after ${HTTP_API_TIMEOUT_SECONDS} s`,
      );
    }
    if (!route.public && route.roles.length === 0)
      problems.push(`route "${key}" is neither public nor open to any role`);
    invokedBy(route.function, { kind: "route", route: key });
    return { key, function: route.function, auth: route.public ? "none" : "jwt", roles: [...route.roles] };
  });

  // Rules -----------------------------------------------------------------------------------------
  const asyncTargets = new Set<string>();
  /** A pattern or scheduled rule's function target: retry policy, dead-letter queue, async invoke. */
  const planTarget = (
    target: { function: string; retry: RetryPolicy },
    rule: { kind: "rule"; rule: string } | { kind: "schedule"; schedule: string },
    queuePrefix: string,
    logicalPrefix: string,
  ): RuleTargetPlan => {
    const where = rule.kind === "rule" ? `rule "${rule.rule}"` : `schedule "${rule.schedule}"`;
    requireFunction(target.function, where);
    checkRetry(target.retry, `${where} → ${target.function}`, problems);
    invokedBy(target.function, rule);
    asyncTargets.add(target.function);
    return {
      function: target.function,
      targetId: named("targetId", target.function),
      retry: { ...target.retry },
      deadLetterQueue: addQueue(
        `${queuePrefix}-${target.function}`,
        rule.kind === "rule"
          ? { kind: "ruleTarget", rule: rule.rule, function: target.function }
          : { kind: "scheduleTarget", schedule: rule.schedule, function: target.function },
      ),
      logicalName: `${logicalPrefix}Target${pascal(target.function)}`,
    };
  };
  const rules: RulePlan[] = topology.rules.map((rule) => {
    if (!busNames.has(rule.bus))
      problems.push(`rule "${rule.name}" is on the bus "${rule.bus}", which stacks/ does not declare`);
    if (rule.targets.length === 0 || rule.targets.length > 5) {
      problems.push(`rule "${rule.name}" has ${rule.targets.length} targets; EventBridge allows 1 to 5`);
    }
    return {
      name: rule.name,
      logicalName: `Rule${pascal(rule.name)}`,
      physicalName: named("rule", physical(app, stage, rule.name)),
      bus: rule.bus,
      description: rule.description,
      pattern: rule.pattern,
      targets: rule.targets.map((target) =>
        planTarget(
          target,
          { kind: "rule", rule: rule.name },
          `rule-${rule.name}`,
          `Rule${pascal(rule.name)}`,
        ),
      ),
    };
  });

  // Scheduled rules -----------------------------------------------------------------------------
  const schedules: ScheduledRulePlan[] = topology.schedules.map((schedule) => {
    if (!SCHEDULE_EXPRESSION.test(schedule.expression)) {
      problems.push(
        `schedule "${schedule.name}": "${schedule.expression}" is not EventBridge's rate(n unit) or 6-field cron(...)`,
      );
    }
    return {
      name: schedule.name,
      logicalName: `Schedule${pascal(schedule.name)}`,
      physicalName: named("rule", physical(app, stage, schedule.name)),
      description: schedule.description,
      scheduleExpression: schedule.expression,
      targets: [
        planTarget(
          { function: schedule.function, retry: schedule.retry },
          { kind: "schedule", schedule: schedule.name },
          `schedule-${schedule.name}`,
          `Schedule${pascal(schedule.name)}`,
        ),
      ],
    };
  });

  // Stream subscriptions ------------------------------------------------------------------------
  const streamSubscriptions: StreamSubscriptionPlan[] = topology.streamSubscriptions.map((sub) => {
    if (!tableByName.has(sub.table))
      problems.push(`stream subscription "${sub.name}" reads the undeclared table "${sub.table}"`);
    requireFunction(sub.function, `stream subscription "${sub.name}"`);
    if (!Number.isInteger(sub.batchSize) || sub.batchSize < 1 || sub.batchSize > 10_000) {
      problems.push(
        `stream subscription "${sub.name}": batch size ${sub.batchSize} is outside DynamoDB Streams' 1–10000`,
      );
    }
    const filters = [sub.filter];
    if (JSON.stringify(sub.filter).length > 4096) {
      problems.push(`stream subscription "${sub.name}": its filter is over Lambda's 4096 characters`);
    }
    invokedBy(sub.function, { kind: "stream", subscription: sub.name });
    return {
      name: sub.name,
      logicalName: `Stream${pascal(sub.name)}`,
      table: sub.table,
      function: sub.function,
      filters,
      batchSize: sub.batchSize,
      // From the oldest record still in the stream: an outbox must not skip what was written
      // before the mapping existed.
      startingPosition: "TRIM_HORIZON",
      maximumRetryAttempts: 10,
      // DynamoDB Streams keep records 24 h.
      maximumRecordAgeSeconds: 86_400,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ["ReportBatchItemFailures"],
      onFailureQueue: addQueue(`stream-${sub.name}`, {
        kind: "streamFailure",
        subscription: sub.name,
        function: sub.function,
      }),
    };
  });

  // State machines ------------------------------------------------------------------------------
  const stateMachines: StateMachinePlan[] = topology.stateMachines.map((machine) => {
    const { tasks, problems: taskProblems } = tasksOf(machine);
    problems.push(...taskProblems);
    const invokes = [...new Set(tasks.map((t) => t.function))];
    for (const name of invokes) {
      requireFunction(name, `state machine "${machine.name}"`);
      invokedBy(name, { kind: "stateMachine", stateMachine: machine.name });
    }
    const declared = [...new Set(machine.functions)].sort();
    if (JSON.stringify(declared) !== JSON.stringify([...invokes].sort())) {
      problems.push(
        `state machine "${machine.name}" declares functions [${declared.join(", ")}] but its tasks invoke [${[...invokes].sort().join(", ")}]`,
      );
    }
    const physicalName = named("stateMachine", physical(app, stage, machine.name));
    return {
      name: machine.name,
      logicalName: `Machine${pascal(machine.name)}`,
      physicalName,
      description: machine.description,
      type: "STANDARD",
      tasks,
      invokes,
      role: {
        logicalName: `Machine${pascal(machine.name)}Role`,
        statements: [
          xrayStatement,
          ...(invokes.length
            ? [
                {
                  why: `invoke the functions its tasks name`,
                  actions: ["lambda:InvokeFunction"],
                  resources: invokes.map((name): Ref => ({ kind: "function", function: name })),
                },
              ]
            : []),
          {
            why: "deliver execution logs to CloudWatch Logs (these actions take no resource)",
            actions: [...UNSCOPED_LOG_DELIVERY_ACTIONS],
            resources: [
              { kind: "wildcard", reason: "CloudWatch Logs delivery actions are not resource-scoped" },
            ],
          },
        ],
      },
      tracing: true,
      logging: {
        logicalName: `Machine${pascal(machine.name)}Logs`,
        // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy from growing per group.
        logGroupName: `/aws/vendedlogs/states/${physicalName}`,
        retentionDays: retentionDays[settings.logRetention],
        // Failures only, and never their input or output: execution data holds applicants'
        // personal data, and CloudWatch Logs is read far more widely than the execution history
        // (which keeps the data 90 days, behind states:GetExecutionHistory on this machine).
        level: "ERROR",
        includeExecutionData: false,
      },
    };
  });

  // Functions -----------------------------------------------------------------------------------
  const functions: FunctionPlan[] = topology.functions.map((fn) => {
    const parsed = parseHandler(fn.handler);
    if (!parsed)
      problems.push(`function "${fn.name}": handler "${fn.handler}" is not "path/to/file.ts#export"`);
    if (fn.timeoutSeconds < 1 || fn.timeoutSeconds > 900)
      problems.push(`function "${fn.name}": timeout must be 1–900 s`);
    if (fn.memoryMb < 128 || fn.memoryMb > 10_240)
      problems.push(`function "${fn.name}": memory must be 128–10240 MB`);

    const environment: Record<string, ValueRef> = {};
    const statements: Statement[] = [];
    const secrets: string[] = [];
    for (const link of fn.links) {
      const problem = linkProblem(link, tableByName, busNames, machineNames);
      if (problem) {
        problems.push(`function "${fn.name}": ${problem}`);
        continue;
      }
      for (const [name, value] of Object.entries(envFor(link))) {
        const previous = environment[name];
        if (previous && JSON.stringify(previous) !== JSON.stringify(value)) {
          problems.push(`function "${fn.name}": two links want the environment variable ${name}`);
        }
        environment[name] = value;
      }
      statements.push(...grantsFor(link, tableByName));
      for (const secret of secretsFor(link)) if (!secrets.includes(secret)) secrets.push(secret);
    }

    const subs = streamSubscriptions.filter((s) => s.function === fn.name);
    for (const sub of subs) {
      statements.push(
        {
          why: `read the stream of table ${sub.table}`,
          actions: [...STREAM_READ_ACTIONS],
          resources: [{ kind: "stream", table: sub.table }],
        },
        {
          why: `send batches that keep failing to the ${sub.name} subscription's dead-letter queue`,
          actions: ["sqs:SendMessage"],
          resources: [{ kind: "queue", queue: sub.onFailureQueue }],
        },
      );
    }

    let asyncInvoke: FunctionPlan["asyncInvoke"];
    if (asyncTargets.has(fn.name)) {
      const queue = addQueue(`async-${fn.name}`, { kind: "asyncInvoke", function: fn.name });
      asyncInvoke = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600, onFailureQueue: queue };
      statements.push({
        why: "send failed asynchronous invocations to its dead-letter queue",
        actions: ["sqs:SendMessage"],
        resources: [{ kind: "queue", queue }],
      });
    }

    return {
      name: fn.name,
      logicalName: `Fn${pascal(fn.name)}`,
      physicalName: named("function", physical(app, stage, fn.name)),
      description: fn.description,
      handler: fn.handler,
      sourceFile: parsed?.sourceFile ?? fn.handler,
      bundleHandler: parsed?.bundleHandler ?? fn.handler,
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      timeoutSeconds: fn.timeoutSeconds,
      memoryMb: fn.memoryMb,
      logRetention: settings.logRetention,
      environment,
      secrets,
      statements: [...statements, xrayStatement],
      invokedBy: invokers.get(fn.name) ?? [],
      telemetry: { tracing: "Active", serviceName: fn.name, metricsNamespace },
      ...(asyncInvoke ? { asyncInvoke } : {}),
    };
  });

  const mailSenders = topology.functions
    .filter((f) => f.links.some((l) => l.kind === "mail"))
    .map((f) => f.name);
  // Subscription rules are created at run time, so their permission to invoke the delivery
  // function is one Lambda permission scoped to the rule-name prefix, not one per rule.
  const subscriptionRuleClients = topology.functions.filter((f) =>
    f.links.some((l) => l.kind === "subscriptionRules"),
  );
  if (subscriptionRuleClients.length && !topology.functions.some((f) => f.name === WEBHOOK_DELIVER_FUNCTION))
    problems.push(
      `functions link subscriptionRules but stacks/ declares no "${WEBHOOK_DELIVER_FUNCTION}" function for their rules to invoke`,
    );
  const webhooks: Plan["webhooks"] = subscriptionRuleClients.length
    ? {
        permission: {
          logicalName: `Fn${pascal(WEBHOOK_DELIVER_FUNCTION)}SubscriptionRulesPermission`,
          function: WEBHOOK_DELIVER_FUNCTION,
          principal: "events.amazonaws.com",
          sourceArn: { kind: "subscriptionRules", bus: bus.name },
        },
      }
    : null;
  const partnerAccounts = options.partnerAccounts ?? partnerAccountsOf(stage);
  problems.push(...partnerAccountProblems(partnerAccounts));
  const busPolicies: Plan["busPolicies"] = partnerAccounts.length
    ? buses.map((b) => ({
        bus: b.name,
        logicalName: `${b.logicalName}PartnerPolicy`,
        partnerAccounts: [...partnerAccounts],
      }))
    : [];

  const registriesClients = topology.functions
    .filter((f) => f.links.some((l) => l.kind === "registries"))
    .map((f) => f.name);
  const providerClients = topology.functions
    .filter((f) => f.links.some((l) => l.kind === "provider"))
    .map((f) => f.name);

  const alarms = planAlarms({ functions, queues, stateMachines, streamSubscriptions, apiLogicalName: "Api" });

  if (problems.length) throw new PlanError(problems);

  return {
    app,
    stage,
    settings,
    tables,
    buses,
    queues,
    functions,
    stateMachines,
    rules,
    schedules,
    streamSubscriptions,
    api: {
      logicalName: "Api",
      cors: true,
      accessLogRetention: settings.logRetention,
      authorizer: {
        name: "jwt",
        issuerSecret: "JwtIssuer",
        audiencesSecret: "JwtAudiences",
        integrationClientsSecret: "JwtIntegrationClients",
        identitySource: "$request.header.Authorization",
      },
      routes,
    },
    alarms,
    alarmTopic: {
      logicalName: "Alarms",
      physicalName: physical(app, stage, "alarms"),
      emailSecret: ALARM_EMAIL_SECRET,
    },
    dashboard: { logicalName: "Dashboard", name: physical(app, stage, "operations") },
    mail: mailSenders.length ? { senderSecret: "MailFrom", senders: mailSenders } : null,
    provider: providerClients.length
      ? {
          urlSecret: PROVIDER_SECRETS.url,
          sharedSecret: PROVIDER_SECRETS.secret,
          clients: providerClients,
        }
      : null,
    registries: registriesClients.length
      ? { githubTokenSecret: GITHUB_TOKEN_SECRET, clients: registriesClients }
      : null,
    webhooks,
    busPolicies,
  };
};

const planTable = (
  table: TableSpec,
  app: string,
  stage: string,
  settings: StageSettings,
  named: (kind: "table", name: string) => string,
  problems: string[],
): TablePlan => {
  const fields: Record<string, "string" | "number"> = {};
  const field = (key: { name: string; type: "S" | "N" }) => {
    const type = key.type === "S" ? "string" : "number";
    if (fields[key.name] && fields[key.name] !== type) {
      problems.push(`table "${table.name}": the key attribute ${key.name} is declared with two types`);
    }
    fields[key.name] = type;
  };
  field(table.partitionKey);
  field(table.sortKey);
  for (const index of table.globalIndexes) {
    field(index.partitionKey);
    if (index.sortKey) field(index.sortKey);
  }
  if (table.globalIndexes.length > 20)
    problems.push(`table "${table.name}" has more than DynamoDB's 20 global indexes`);
  return {
    name: table.name,
    logicalName: `Table${pascal(table.name)}`,
    physicalName: named("table", physical(app, stage, table.name)),
    fields,
    partitionKey: table.partitionKey.name,
    sortKey: table.sortKey.name,
    globalIndexes: table.globalIndexes.map((index) => ({
      name: index.name,
      partitionKey: index.partitionKey.name,
      ...(index.sortKey ? { sortKey: index.sortKey.name } : {}),
      projection: "all",
    })),
    billing: "PAY_PER_REQUEST",
    stream: table.stream === "NEW_IMAGE" ? "new-image" : "new-and-old-images",
    ttlAttribute: table.ttlAttribute,
    pointInTimeRecovery: true,
    deletionProtection: settings.tableDeletionProtection,
  };
};

const checkRetry = (retry: RetryPolicy, where: string, problems: string[]) => {
  if (
    !Number.isInteger(retry.maximumRetryAttempts) ||
    retry.maximumRetryAttempts < 0 ||
    retry.maximumRetryAttempts > 185
  ) {
    problems.push(`${where}: maximumRetryAttempts must be 0–185`);
  }
  if (
    !Number.isInteger(retry.maximumEventAgeSeconds) ||
    retry.maximumEventAgeSeconds < 60 ||
    retry.maximumEventAgeSeconds > 86_400
  ) {
    problems.push(`${where}: maximumEventAgeSeconds must be 60–86400`);
  }
};

/**
 * A table link must name what it reads and writes (stacks/src/table-access.ts): without them the
 * only grant left would be the whole table, which is what least privilege by item forbids.
 */
const tableEntitiesProblem = (link: Extract<Link, { kind: "table" }>): string | undefined => {
  if (!link.read?.length)
    return `links table "${link.table}" without naming the entities it reads (add it to TABLE_ACCESS in stacks/src/table-access.ts)`;
  if (link.access === "read" && (link.write?.length || link.delete?.length))
    return `links table "${link.table}" read-only but names entities it writes`;
  const written = new Set(link.write);
  if (link.delete?.some((e) => !written.has(e)))
    return `links table "${link.table}" deleting entities it does not write`;
  const known = new Set<string>(TABLE_ENTITIES);
  const unknown = [...link.read, ...(link.write ?? []), ...(link.delete ?? [])].filter((e) => !known.has(e));
  if (unknown.length) return `links table "${link.table}" with unknown entities ${unknown.join(", ")}`;
  return undefined;
};

const linkProblem = (
  link: Link,
  tables: Map<string, TableSpec>,
  buses: Set<string>,
  machines: Set<string>,
): string | undefined => {
  switch (link.kind) {
    case "table":
      if (!tables.has(link.table)) return `links the undeclared table "${link.table}"`;
      return tableEntitiesProblem(link);
    case "bus":
      return buses.has(link.bus) ? undefined : `links the undeclared bus "${link.bus}"`;
    case "stateMachine":
      if (!machines.has(link.stateMachine))
        return `links the undeclared state machine "${link.stateMachine}"`;
      return link.actions.length
        ? undefined
        : `links the state machine "${link.stateMachine}" with no action`;
    case "mail":
    case "provider":
    case "registries":
    case "webhooks":
      return undefined;
    case "subscriptionRules":
      return buses.has(bus.name) ? undefined : `links subscription rules on the undeclared bus "${bus.name}"`;
  }
};
