// A recording stand-in for the globals SST gives sst.config.ts (`sst`, `aws`, `$app`,
// `$interpolate`, …), so test/infra can run infra/'s program offline and compare what it would
// create with the plan. Outputs are resolved eagerly: every value is known here.

export class Out<T> {
  constructor(readonly value: T) {}
  apply<U>(f: (value: T) => U | Out<U>): Out<U> {
    const result = f(this.value);
    return result instanceof Out ? (result as Out<U>) : new Out(result as U);
  }
}

/** Replaces every Out inside a value by what it holds. */
export const unwrap = (value: unknown): unknown => {
  if (value instanceof Out) return unwrap(value.value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  }
  return value;
};

export interface Recorded {
  type: string;
  name: string;
  args: Record<string, unknown>;
  opts?: unknown;
}

export interface FakeWorld {
  resources: Recorded[];
  routes: Array<{ key: string; handler: unknown; args: Record<string, unknown> }>;
  authorizers: Array<Record<string, unknown>>;
  ofType: (type: string) => Recorded[];
}

const ACCOUNT = "123456789012";
const REGION = "us-east-1";

export const installFakeSst = (stage: string, secrets: Record<string, string>): FakeWorld => {
  const resources: Recorded[] = [];
  const routes: FakeWorld["routes"] = [];
  const authorizers: FakeWorld["authorizers"] = [];
  const record = (type: string, name: string, args: Record<string, unknown> = {}, opts?: unknown) => {
    if (resources.some((r) => r.name === name)) throw new Error(`duplicate logical name ${name}`);
    const entry = { type, name, args, opts };
    resources.push(entry);
    return entry;
  };
  const resource = (type: string, service: string, arnOf: (physical: string) => string) =>
    class {
      readonly arn: Out<string>;
      readonly name: Out<string>;
      readonly id: Out<string>;
      readonly url: Out<string>;
      constructor(name: string, args: Record<string, unknown> = {}, opts?: unknown) {
        record(type, name, args, opts);
        const physical =
          typeof unwrap(args.name) === "string" ? (unwrap(args.name) as string) : `${name}-generated`;
        this.name = new Out(physical);
        this.arn = new Out(arnOf(physical));
        this.id = new Out(`${service}-${name}`);
        this.url = new Out(`https://${service}.${REGION}.amazonaws.com/${ACCOUNT}/${physical}`);
      }
    };

  const transformed = (args: Record<string, unknown>, key: string) => {
    const target: Record<string, unknown> = {};
    const transform = (args.transform as Record<string, (a: Record<string, unknown>) => void> | undefined)?.[
      key
    ];
    transform?.(target);
    return target;
  };

  class Dynamo {
    readonly name: Out<string>;
    readonly arn: Out<string>;
    readonly nodes: { table: { streamArn: Out<string>; args: Record<string, unknown> } };
    constructor(name: string, args: Record<string, unknown>) {
      const table = transformed(args, "table");
      record("sst.aws.Dynamo", name, { ...args, table });
      const physical = String(table.name ?? `${name}-generated`);
      this.name = new Out(physical);
      this.arn = new Out(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${physical}`);
      this.nodes = {
        table: { streamArn: new Out(`${this.arn.value}/stream/2026-01-01T00:00:00.000`), args: table },
      };
    }
  }

  class Bus {
    readonly name: Out<string>;
    readonly arn: Out<string>;
    constructor(name: string, args: Record<string, unknown>) {
      const bus = transformed(args, "bus");
      record("sst.aws.Bus", name, { ...args, bus });
      const physical = String(bus.name ?? `${name}-generated`);
      this.name = new Out(physical);
      this.arn = new Out(`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${physical}`);
    }
  }

  const FunctionComponent = resource(
    "sst.aws.Function",
    "lambda",
    (n) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${n}`,
  );

  class ApiGatewayV2 {
    readonly url = new Out(`https://api.execute-api.${REGION}.amazonaws.com`);
    readonly nodes = { api: { id: new Out("api-id-0123") } };
    constructor(name: string, args: Record<string, unknown>) {
      record("sst.aws.ApiGatewayV2", name, args);
    }
    addAuthorizer(args: Record<string, unknown>) {
      authorizers.push(args);
      return { id: new Out(`authorizer-${String(args.name)}`) };
    }
    route(key: string, handler: unknown, args: Record<string, unknown>) {
      routes.push({ key, handler, args });
    }
  }

  class Secret {
    readonly value: Out<string>;
    readonly name: string;
    // As SST: the placeholder is the value while none is set for the stage (an optional secret).
    constructor(name: string, placeholder?: string) {
      record("sst.Secret", name);
      this.name = name;
      const value = secrets[name] ?? placeholder;
      if (value === undefined) throw new Error(`Set a value for ${name}`);
      this.value = new Out(value);
    }
  }

  const sqsArn = (n: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${n}`;
  const Queue = resource("aws.sqs.Queue", "sqs", sqsArn);
  const plain = (type: string, service: string) =>
    resource(type, service, (n) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${type}/${n}`);

  const globals: Record<string, unknown> = {
    $app: { name: "allot", stage },
    $interpolate: (strings: TemplateStringsArray, ...values: unknown[]) =>
      new Out(
        strings.reduce(
          (text, part, i) => text + part + (i < values.length ? String(unwrap(values[i])) : ""),
          "",
        ),
      ),
    $output: (value: unknown) => new Out(unwrap(value)),
    $resolve: (value: unknown) => new Out(unwrap(value)),
    $jsonStringify: (value: unknown) => new Out(JSON.stringify(unwrap(value))),
    sst: { aws: { Dynamo, Bus, Function: FunctionComponent, ApiGatewayV2 }, Secret },
    aws: {
      getPartitionOutput: () => ({ partition: new Out("aws") }),
      getRegionOutput: () => ({ region: new Out(REGION) }),
      getCallerIdentityOutput: () => ({ accountId: new Out(ACCOUNT) }),
      cloudwatch: {
        EventArchive: plain("aws.cloudwatch.EventArchive", "events"),
        EventRule: resource(
          "aws.cloudwatch.EventRule",
          "events",
          (n) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${n}`,
        ),
        EventTarget: plain("aws.cloudwatch.EventTarget", "events"),
        LogGroup: resource(
          "aws.cloudwatch.LogGroup",
          "logs",
          (n) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${n}`,
        ),
        MetricAlarm: plain("aws.cloudwatch.MetricAlarm", "cloudwatch"),
        Dashboard: plain("aws.cloudwatch.Dashboard", "cloudwatch"),
      },
      sqs: { Queue, QueuePolicy: plain("aws.sqs.QueuePolicy", "sqs") },
      lambda: {
        FunctionEventInvokeConfig: plain("aws.lambda.FunctionEventInvokeConfig", "lambda"),
        Permission: plain("aws.lambda.Permission", "lambda"),
        EventSourceMapping: plain("aws.lambda.EventSourceMapping", "lambda"),
      },
      iam: {
        Role: resource("aws.iam.Role", "iam", (n) => `arn:aws:iam::${ACCOUNT}:role/${n}`),
        RolePolicy: plain("aws.iam.RolePolicy", "iam"),
      },
      sfn: {
        StateMachine: resource(
          "aws.sfn.StateMachine",
          "states",
          (n) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${n}`,
        ),
      },
      sns: {
        Topic: resource("aws.sns.Topic", "sns", (n) => `arn:aws:sns:${REGION}:${ACCOUNT}:${n}`),
        TopicSubscription: plain("aws.sns.TopicSubscription", "sns"),
      },
    },
  };
  Object.assign(globalThis, globals);

  return { resources, routes, authorizers, ofType: (type) => resources.filter((r) => r.type === type) };
};

export const uninstallFakeSst = () => {
  for (const name of ["$app", "$interpolate", "$output", "$resolve", "$jsonStringify", "sst", "aws"]) {
    delete (globalThis as Record<string, unknown>)[name];
  }
};
