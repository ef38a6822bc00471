// The vocabulary of the deployment plan (see infra/plan.ts). Plain data; no SST or Pulumi import.

import type { RetryPolicy } from "@allot/stacks";
import { providerSecrets } from "@allot/stacks/env";
import type { LogRetention, StageSettings } from "../stage.js";

/** A resource infra/ creates, by its logical name in stacks/ (resolved to an ARN at deploy time). */
export type Ref =
  | { kind: "table"; table: string }
  | { kind: "index"; table: string; index: string }
  | { kind: "stream"; table: string }
  | { kind: "bus"; bus: string }
  | { kind: "stateMachine"; stateMachine: string }
  /** Every execution of ONE state machine: `arn:…:execution:<machine>:*`. */
  | { kind: "executions"; stateMachine: string }
  | { kind: "queue"; queue: string }
  | { kind: "function"; function: string }
  /** The rules a subscription adapter manages: `arn:…:rule/<bus>/allot-webhook-*`, none other. */
  | { kind: "subscriptionRules"; bus: string }
  /** The bus's archive (replay source). */
  | { kind: "archive"; bus: string }
  /** Replays of this account and region (`replay/*`: a replay's name is chosen when it starts). */
  | { kind: "replays" }
  /** A fixed value, only ever an environment value (a name prefix): no ARN, no grant names it. */
  | { kind: "constant"; value: string }
  /**
   * The SES identity mail is sent as: the sender address or its domain, whichever the account
   * verified (both are granted; neither is a wildcard). Its name is the sender address.
   */
  | { kind: "mailIdentity"; form: "address" | "domain" }
  /**
   * The value of a per-stage SST secret (`sst secret set <name> … --stage <stage>`). Only ever
   * an environment value: it has no ARN, and no grant names it.
   */
  | { kind: "secret"; secret: string }
  /** The stage's HTTP API: its `url` is the public base URL (created before any function). */
  | { kind: "api" }
  /**
   * `*`, only for the CloudWatch Logs delivery actions, which AWS does not scope to resources
   * (Step Functions logging needs them). Never on data: a test enforces it.
   */
  | { kind: "wildcard"; reason: string };

/** One attribute of a resource, for environment variables and alarm dimensions. */
export interface ValueRef {
  ref: Ref;
  /** "value" is a secret's value (and only a secret's); "url" is the API's (and only the API's). */
  attribute: "name" | "arn" | "value" | "url";
}

export interface Statement {
  /** What the grant is for; documentation in the snapshot. */
  why: string;
  actions: string[];
  resources: Ref[];
  /** IAM conditions, e.g. the partition-key prefixes a DynamoDB grant is limited to. */
  conditions?: Condition[];
}

export interface Condition {
  test: "ForAllValues:StringLike";
  variable: "dynamodb:LeadingKeys";
  values: string[];
}

export const LAMBDA_RUNTIME = "nodejs22.x";
export const LAMBDA_ARCHITECTURE = "arm64";
/** API Gateway HTTP APIs give up on an integration after 30 s. */
export const HTTP_API_TIMEOUT_SECONDS = 30;
/** SQS keeps a dead letter at most 14 days: the alarm fires at the first one. */
export const DLQ_RETENTION_SECONDS = 1_209_600;

/** EventBridge actions AWS does not scope to a resource (the pattern check); allowed on `*` for functions. */
export const UNSCOPED_EVENTS_ACTIONS = ["events:TestEventPattern"] as const;

/**
 * X-Ray's write actions (active tracing on functions and state machines): AWS does not scope
 * them to a resource, so they, too, are allowed on `*`. They carry trace segments, not data access.
 */
export const UNSCOPED_XRAY_ACTIONS = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
] as const;

/** What every function and state machine reports: X-Ray traces, and metrics in the stage's namespace. */
export interface TelemetryPlan {
  tracing: "Active";
  /** Powertools' POWERTOOLS_SERVICE_NAME: the function's name in stacks/. */
  serviceName: string;
  /** Powertools' POWERTOOLS_METRICS_NAMESPACE: one CloudWatch namespace per stage. */
  metricsNamespace: string;
}

/** Actions AWS does not scope to a resource; the only ones allowed on `*`. */
export const UNSCOPED_LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
] as const;

export interface TablePlan {
  name: string;
  logicalName: string;
  physicalName: string;
  /** Every key attribute of the table and its indexes, with its type. */
  fields: Record<string, "string" | "number">;
  partitionKey: string;
  sortKey: string;
  globalIndexes: Array<{ name: string; partitionKey: string; sortKey?: string; projection: "all" }>;
  billing: "PAY_PER_REQUEST";
  stream: "new-image" | "new-and-old-images";
  ttlAttribute: string;
  pointInTimeRecovery: true;
  deletionProtection: boolean;
}

export interface BusPlan {
  name: string;
  logicalName: string;
  physicalName: string;
  archive: { logicalName: string; physicalName: string; retentionDays: number };
}

export type QueueSource =
  | { kind: "ruleTarget"; rule: string; function: string }
  | { kind: "scheduleTarget"; schedule: string; function: string }
  | { kind: "asyncInvoke"; function: string }
  | { kind: "streamFailure"; subscription: string; function: string };

export interface QueuePlan {
  id: string;
  logicalName: string;
  /** What lands here: events EventBridge could not deliver, async invocations that failed, … */
  receives: QueueSource;
  retentionSeconds: number;
}

export type Invoker =
  | { kind: "route"; route: string }
  | { kind: "rule"; rule: string }
  | { kind: "schedule"; schedule: string }
  | { kind: "stateMachine"; stateMachine: string }
  | { kind: "stream"; subscription: string };

export interface FunctionPlan {
  name: string;
  logicalName: string;
  physicalName: string;
  description: string;
  /** As stacks/ declares it: "packages/functions/src/x.ts#handler". */
  handler: string;
  /** The module file, from the repository root. */
  sourceFile: string;
  /** As SST's esbuild bundler wants it: "packages/functions/src/x.handler". */
  bundleHandler: string;
  runtime: typeof LAMBDA_RUNTIME;
  architecture: typeof LAMBDA_ARCHITECTURE;
  timeoutSeconds: number;
  memoryMb: number;
  logRetention: LogRetention;
  environment: Record<string, ValueRef>;
  /**
   * SST secrets linked to the function (`link`): encrypted into its bundle and read at run time
   * (adapters' linkedSecret, as SST's `Resource`), never environment variables.
   */
  secrets: string[];
  statements: Statement[];
  invokedBy: Invoker[];
  telemetry: TelemetryPlan;
  /** Set when EventBridge invokes it (asynchronously): Lambda's own retries, then this queue. */
  asyncInvoke?: { maximumRetryAttempts: number; maximumEventAgeSeconds: number; onFailureQueue: string };
}

export interface TaskPlan {
  state: string;
  integration: "lambda:invoke" | "lambda:invoke.waitForTaskToken" | "lambda (direct)";
  function: string;
}

export interface StateMachinePlan {
  name: string;
  logicalName: string;
  physicalName: string;
  description: string;
  type: "STANDARD";
  tasks: TaskPlan[];
  /** The functions its role may invoke: exactly those its tasks name. */
  invokes: string[];
  role: { logicalName: string; statements: Statement[] };
  /** X-Ray tracing of every execution (its role holds the X-Ray write actions). */
  tracing: true;
  logging: {
    logicalName: string;
    logGroupName: string;
    retentionDays: number;
    level: "ERROR";
    /** Never true: execution data holds personal data (a test holds every machine to it). */
    includeExecutionData: false;
  };
}

export interface RuleTargetPlan {
  function: string;
  targetId: string;
  retry: RetryPolicy;
  /** Events EventBridge could not deliver after the retry policy. */
  deadLetterQueue: string;
  /** The target's; its invoke permission and queue policy append "Permission" and "DlqPolicy". */
  logicalName: string;
}

export interface RulePlan {
  name: string;
  logicalName: string;
  physicalName: string;
  bus: string;
  description: string;
  pattern: Record<string, unknown>;
  targets: RuleTargetPlan[];
}

/**
 * An EventBridge scheduled rule on the account's default bus (scheduled rules live only there):
 * it invokes its targets with a "Scheduled Event", with the same retry policy and dead-letter
 * queue as the pattern rules, and so the same payload as the local runtime's schedules.
 */
export interface ScheduledRulePlan {
  name: string;
  logicalName: string;
  physicalName: string;
  description: string;
  /** EventBridge syntax, UTC: `rate(1 day)`, `cron(0 3 * * ? *)`. */
  scheduleExpression: string;
  targets: RuleTargetPlan[];
}

export interface StreamSubscriptionPlan {
  name: string;
  logicalName: string;
  table: string;
  function: string;
  /** Lambda filter criteria, one pattern each (JSON-encoded at deploy time). */
  filters: Array<Record<string, unknown>>;
  batchSize: number;
  startingPosition: "TRIM_HORIZON";
  maximumRetryAttempts: number;
  maximumRecordAgeSeconds: number;
  bisectBatchOnFunctionError: true;
  functionResponseTypes: ["ReportBatchItemFailures"];
  onFailureQueue: string;
}

export interface RoutePlan {
  /** API Gateway's route key, which handlers also match: "GET /proposals/{proposalId}". */
  key: string;
  function: string;
  auth: "jwt" | "none";
  roles: string[];
}

export interface ApiPlan {
  logicalName: string;
  cors: true;
  accessLogRetention: LogRetention;
  authorizer: {
    name: string;
    /** `sst secret set JwtIssuer https://issuer.example.com/ --stage <stage>` */
    issuerSecret: string;
    /** Comma-separated: `sst secret set JwtAudiences allot-api --stage <stage>` */
    audiencesSecret: string;
    /**
     * Comma-separated Cognito app client ids of the integrations (client credentials), accepted
     * as audiences too (Cognito access tokens carry `client_id`, which the authorizer matches):
     * `sst secret set JwtIntegrationClients 1h2k…,7f3q… --stage <stage>`.
     */
    integrationClientsSecret: string;
    identitySource: string;
  };
  routes: RoutePlan[];
}

/** An alarm dimension's value: a created resource's attribute, or the HTTP API's id. */
export type AlarmDimensionValue = ValueRef | { api: "id" };

export interface AlarmPlan {
  logicalName: string;
  description: string;
  namespace: "AWS/SQS" | "AWS/States" | "AWS/Lambda" | "AWS/ApiGateway";
  metricName: string;
  dimension: { name: string; value: AlarmDimensionValue };
  /** "p99" is CloudWatch's extended statistic (percentile). */
  statistic: "Maximum" | "Sum" | "Average" | "p99";
  periodSeconds: number;
  evaluationPeriods: number;
  threshold: number;
  comparison: "GreaterThanThreshold";
  treatMissingData: "notBreaching";
}

/**
 * Set when a function links `subscriptionRules`: EventBridge may invoke the delivery function
 * from the subscription rules (and only those), which are created at run time.
 */
export interface WebhooksPlan {
  permission: { logicalName: string; function: string; principal: "events.amazonaws.com"; sourceArn: Ref };
}

/** The bus's resource policy for partner AWS accounts (infra/partners.ts), null without partners. */
export interface BusPolicyPlan {
  bus: string;
  logicalName: string;
  partnerAccounts: string[];
}

/**
 * `sst secret set AlarmEmail oncall@example.org --stage <stage>`: the address (a list or an
 * on-call alias, for several people) the stage's alarm topic mails; AWS asks it to confirm once.
 */
export const ALARM_EMAIL_SECRET = "AlarmEmail";

/** The one SNS topic every alarm of the stage notifies, and who it notifies. */
export interface AlarmTopicPlan {
  logicalName: string;
  physicalName: string;
  emailSecret: typeof ALARM_EMAIL_SECRET;
}

/** The stage's CloudWatch dashboard: the alarms' metrics and the business metrics, on one page. */
export interface DashboardPlan {
  logicalName: string;
  name: string;
}

export interface Plan {
  app: string;
  stage: string;
  settings: StageSettings;
  tables: TablePlan[];
  buses: BusPlan[];
  queues: QueuePlan[];
  functions: FunctionPlan[];
  stateMachines: StateMachinePlan[];
  rules: RulePlan[];
  schedules: ScheduledRulePlan[];
  streamSubscriptions: StreamSubscriptionPlan[];
  api: ApiPlan;
  alarms: AlarmPlan[];
  alarmTopic: AlarmTopicPlan;
  dashboard: DashboardPlan;
  /** Set when a function links `mail`: the sender address is per-stage configuration. */
  mail: MailPlan | null;
  /** Set when a function links `provider`: where it is, the shared secret, this stage's public URL. */
  provider: ProviderPlan | null;
  /** Set when a function links `registries`: the optional GitHub token, linked to those functions. */
  registries: RegistriesPlan | null;
  webhooks: WebhooksPlan | null;
  busPolicies: BusPolicyPlan[];
}

export interface RegistriesPlan {
  /**
   * `sst secret set GitHubToken <token> --stage <stage>`, optional (empty: no token, GitHub's
   * 60 requests an hour). Linked with SST's `link`, so it travels encrypted in the bundle and is
   * read at run time, not set as an environment variable.
   */
  githubTokenSecret: string;
  /** The functions that look outputs up. */
  clients: string[];
}

export interface MailPlan {
  /** `sst secret set MailFrom grants@example.org --stage <stage>` */
  senderSecret: string;
  /** The functions that may send. */
  senders: string[];
}

/** The SST secrets a provider link reads (stacks/src/env.ts: `providerSecrets`). */
export const PROVIDER_SECRETS = providerSecrets;

export interface ProviderPlan {
  /** `sst secret set ProviderUrl https://provider.example.org/amie --stage <stage>`: its base URL. */
  urlSecret: string;
  /** `sst secret set ProviderSecret <shared secret> --stage <stage>`: signs both directions (HMAC). */
  sharedSecret: string;
  /** The functions that talk to the provider (over HTTPS; no IAM grant). */
  clients: string[];
}

export class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`infra/plan: the topology cannot be deployed as it stands:\n- ${problems.join("\n- ")}`);
    this.name = "PlanError";
  }
}

/** A short, readable form of a reference, for the snapshot and for error messages. */
export const describeRef = (ref: Ref): string => {
  switch (ref.kind) {
    case "table":
      return `table:${ref.table}`;
    case "index":
      return `table:${ref.table}/index/${ref.index}`;
    case "stream":
      return `table:${ref.table}/stream`;
    case "bus":
      return `bus:${ref.bus}`;
    case "stateMachine":
      return `stateMachine:${ref.stateMachine}`;
    case "executions":
      return `stateMachine:${ref.stateMachine}/executions/*`;
    case "queue":
      return `queue:${ref.queue}`;
    case "api":
      return "api";
    case "function":
      return `function:${ref.function}`;
    case "mailIdentity":
      return `ses:identity/${ref.form === "address" ? "<MailFrom>" : "<MailFrom domain>"}`;
    case "secret":
      return `secret:${ref.secret}`;
    case "subscriptionRules":
      return `bus:${ref.bus}/rule/allot-webhook-*`;
    case "archive":
      return `bus:${ref.bus}/archive`;
    case "replays":
      return "events:replay/*";
    case "constant":
      return `constant:${ref.value}`;
    case "wildcard":
      return `* (${ref.reason})`;
  }
};
