// Turns the plan's symbolic references into the ARNs and names of what infra/ created.
import { SUBSCRIPTION_RULE_PREFIX } from "@allot/stacks/env";
import { describeRef, type Plan, type Ref, type ValueRef } from "./plan.js";

type Output<T> = $util.Output<T>;

export interface Created {
  tables: Map<string, sst.aws.Dynamo>;
  buses: Map<string, sst.aws.Bus>;
  queues: Map<string, aws.sqs.Queue>;
  /** Filled once the functions exist; the state machines and triggers come after them. */
  functions: Map<string, sst.aws.Function>;
  /** The sender address (SST secret), when some function sends mail. */
  mailFrom?: Output<string>;
  /** The SST secrets functions link (read at run time, never environment values), by name. */
  secrets: Map<string, sst.Secret>;
  /** The HTTP API's URL: the API is created before the functions, its routes after them. */
  apiUrl?: Output<string>;
}

/** "Allot Grants <grants@example.org>" or "grants@example.org" → the address and its domain. */
export const senderIdentity = (from: string) => {
  const address = (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
  const domain = address.slice(address.lastIndexOf("@") + 1);
  if (!address.includes("@") || !domain) throw new Error(`infra: MailFrom "${from}" is not an email address`);
  return { address, domain };
};

const must = <T>(map: Map<string, T>, key: string, what: string): T => {
  const value = map.get(key);
  if (value === undefined) throw new Error(`infra: ${what} "${key}" was not created (is it in the plan?)`);
  return value;
};

export const createResolver = (plan: Plan, created: Created) => {
  const partition = aws.getPartitionOutput().partition;
  const region = aws.getRegionOutput().region;
  const account = aws.getCallerIdentityOutput().accountId;

  // State machine ARNs are computed from their planned names rather than read from the
  // resources: functions link machines whose tasks invoke functions, and a computed ARN keeps
  // that from becoming a dependency cycle.
  const machineName = (name: string) => {
    const machine = plan.stateMachines.find((m) => m.name === name);
    if (!machine) throw new Error(`infra: state machine "${name}" is not in the plan`);
    return machine.physicalName;
  };
  const mailFrom = () => {
    if (!created.mailFrom) throw new Error("infra: a function links mail but no MailFrom secret was created");
    return created.mailFrom;
  };
  const mailIdentity = (form: "address" | "domain") => mailFrom().apply((from) => senderIdentity(from)[form]);

  const busPlan = (name: string) => {
    const planned = plan.buses.find((b) => b.name === name);
    if (!planned) throw new Error(`infra: bus "${name}" is not in the plan`);
    return planned;
  };

  const machineArn = (name: string) =>
    $interpolate`arn:${partition}:states:${region}:${account}:stateMachine:${machineName(name)}`;

  const arn = (ref: Ref): Output<string> => {
    switch (ref.kind) {
      case "table":
        return must(created.tables, ref.table, "table").arn;
      case "index":
        return $interpolate`${must(created.tables, ref.table, "table").arn}/index/${ref.index}`;
      case "stream":
        return must(created.tables, ref.table, "table").nodes.table.streamArn;
      case "bus":
        return must(created.buses, ref.bus, "bus").arn;
      case "stateMachine":
        return machineArn(ref.stateMachine);
      case "executions":
        return $interpolate`arn:${partition}:states:${region}:${account}:execution:${machineName(ref.stateMachine)}:*`;
      case "queue":
        return must(created.queues, ref.queue, "queue").arn;
      case "function": {
        // A function's environment may name another's ARN (the subscription adapters name the
        // delivery function): computed from the planned name when it is not created yet.
        const fn = created.functions.get(ref.function);
        if (fn) return fn.arn;
        const planned = plan.functions.find((f) => f.name === ref.function);
        if (!planned) throw new Error(`infra: function "${ref.function}" is not in the plan`);
        return $interpolate`arn:${partition}:lambda:${region}:${account}:function:${planned.physicalName}`;
      }
      case "subscriptionRules":
        return $interpolate`arn:${partition}:events:${region}:${account}:rule/${busPlan(ref.bus).physicalName}/${SUBSCRIPTION_RULE_PREFIX}*`;
      case "archive":
        return $interpolate`arn:${partition}:events:${region}:${account}:archive/${busPlan(ref.bus).archive.physicalName}`;
      case "replays":
        return $interpolate`arn:${partition}:events:${region}:${account}:replay/*`;
      case "constant":
        throw new Error(`infra: the constant ${ref.value} has no ARN (it is only an environment value)`);
      case "mailIdentity":
        return $interpolate`arn:${partition}:ses:${region}:${account}:identity/${mailIdentity(ref.form)}`;
      case "secret":
        throw new Error(`infra: the secret ${ref.secret} has no ARN (it is linked, never granted)`);
      case "api":
        throw new Error("infra: the API's ARN is not granted to functions (they only read its URL)");
      case "wildcard":
        return $output("*");
    }
  };

  const name = (ref: Ref): Output<string> => {
    switch (ref.kind) {
      case "table":
        return must(created.tables, ref.table, "table").name;
      case "bus":
        return must(created.buses, ref.bus, "bus").name;
      case "stateMachine":
        return $output(machineName(ref.stateMachine));
      case "queue":
        return must(created.queues, ref.queue, "queue").name;
      case "function":
        return must(created.functions, ref.function, "function").name;
      case "mailIdentity":
        return ref.form === "address" ? mailFrom() : mailIdentity("domain");
      case "constant":
        return $output(ref.value);
      default:
        throw new Error(`infra: a ${ref.kind} reference has no name`);
    }
  };

  const url = (ref: Ref): Output<string> => {
    if (ref.kind !== "api" || !created.apiUrl)
      throw new Error(`infra: a ${ref.kind} reference has no URL here; only the API, created first, has`);
    return created.apiUrl;
  };

  const value = (value: ValueRef): Output<string> => {
    switch (value.attribute) {
      case "arn":
        return arn(value.ref);
      case "url":
        return url(value.ref);
      case "value":
        // Secrets are linked to functions (Created.secrets), never environment values.
        throw new Error(`infra: ${describeRef(value.ref)} would put a secret in an environment variable`);
      case "name":
        return name(value.ref);
    }
  };

  const queueUrl = (queue: string): Output<string> => must(created.queues, queue, "queue").url;

  return { arn, name, value, queueUrl };
};

export type Resolver = ReturnType<typeof createResolver>;
