// The AWS realization of stacks/: builds the plan, then creates what it lists, in dependency
// order. Nothing here names a function, a route, a rule, a schedule or a machine: it loops over the plan.
import { bus as mainBus, mainTable, topology } from "@allot/stacks";
import { createAlarm, createAlarmTopic, createDashboard } from "./alarms.js";
import { addRoutes, createApi } from "./api.js";
import { createBus, createPartnerBusPolicy } from "./buses.js";
import { configureAsyncInvoke, createFunction } from "./functions.js";
import { planDeployment } from "./plan.js";
import { createQueue } from "./queues.js";
import { type Created, createResolver } from "./resolve.js";
import { createRule, createScheduledRule } from "./rules.js";
import { createLinkedSecrets } from "./secrets.js";
import { createStateMachine } from "./state-machines.js";
import { createStreamSubscription } from "./streams.js";
import { createTable } from "./tables.js";
import { createWebhookPermission } from "./webhooks.js";

export const deploy = () => {
  const plan = planDeployment(topology, { stage: $app.stage });

  const created: Created = {
    tables: new Map(plan.tables.map((table) => [table.name, createTable(table)])),
    buses: new Map(plan.buses.map((bus) => [bus.name, createBus(bus)])),
    queues: new Map(plan.queues.map((queue) => [queue.id, createQueue(queue)])),
    functions: new Map(),
    ...(plan.mail ? { mailFrom: new sst.Secret(plan.mail.senderSecret).value } : {}),
    secrets: createLinkedSecrets(plan),
  };
  // The API first (no routes yet): its URL is the public URL the provider link passes to its
  // functions, and the routes, which need the functions, come after them. One pass, no cycle.
  const api = createApi(plan.api);
  created.apiUrl = api.url;
  const resolve = createResolver(plan, created);

  for (const fn of plan.functions) {
    const links = fn.secrets.map((name) => {
      const secret = created.secrets.get(name);
      if (!secret)
        throw new Error(`infra: function "${fn.name}" links the secret ${name}, which was not created`);
      return secret;
    });
    const lambda = createFunction(fn, resolve, links);
    created.functions.set(fn.name, lambda);
    configureAsyncInvoke(fn, lambda, resolve);
  }

  const specs = new Map(topology.stateMachines.map((spec) => [spec.name, spec]));
  const machines = plan.stateMachines.map((machine) => {
    const spec = specs.get(machine.name);
    if (!spec) throw new Error(`infra: state machine "${machine.name}" is planned but not in stacks/`);
    return createStateMachine(machine, spec, resolve);
  });

  for (const rule of plan.rules) createRule(rule, resolve);
  for (const schedule of plan.schedules) createScheduledRule(schedule, resolve);
  for (const sub of plan.streamSubscriptions) createStreamSubscription(sub, resolve);
  if (plan.webhooks) createWebhookPermission(plan.webhooks, resolve);
  for (const policy of plan.busPolicies) {
    const bus = created.buses.get(policy.bus);
    if (!bus) throw new Error(`infra: bus "${policy.bus}" is planned for a policy but not created`);
    createPartnerBusPolicy(policy, bus);
  }
  addRoutes(api, plan.api, resolve);

  const apiId = api.nodes.api.id;
  const topic = createAlarmTopic(plan.alarmTopic);
  for (const alarm of plan.alarms) createAlarm(alarm, topic, resolve, apiId);
  createDashboard(plan, apiId);

  const busRef = { kind: "bus", bus: mainBus.name } as const;
  return {
    api: api.url,
    table: resolve.name({ kind: "table", table: mainTable.name }),
    bus: resolve.name(busRef),
    busArn: resolve.arn(busRef),
    tables: Object.fromEntries(
      plan.tables.map((t) => [t.name, resolve.name({ kind: "table", table: t.name })]),
    ),
    buses: Object.fromEntries(plan.buses.map((b) => [b.name, resolve.arn({ kind: "bus", bus: b.name })])),
    stateMachines: Object.fromEntries(plan.stateMachines.map((m, i) => [m.name, machines[i]?.arn])),
    alarmTopic: topic.arn,
  };
};
