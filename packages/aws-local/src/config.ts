// What the local AWS is told to run. Plain data, in AWS's own terms: an application
// translates its topology into these values and aws-local knows nothing else about it.

export interface KeyAttribute {
  name: string;
  type: "S" | "N";
}

export interface IndexSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

/** A DynamoDB table as DynamoDB Local creates it: on-demand, every index projecting all, with a stream. */
export interface TableSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  globalIndexes: IndexSpec[];
  stream: "NEW_IMAGE" | "NEW_AND_OLD_IMAGES";
  ttlAttribute: string;
}

/** An EventBridge bus; its archive keeps every event this many days (0: forever). */
export interface BusSpec {
  name: string;
  archiveRetentionDays: number;
}

/** A target's RetryPolicy, within the bounds AWS enforces. */
export interface RetryPolicy {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
}

export type TargetSpec = { kind: "function"; function: string; retry: RetryPolicy };

export interface RuleSpec {
  name: string;
  bus: string;
  description?: string;
  /** An EventBridge event pattern; one the matcher cannot evaluate is refused at start. */
  pattern: Record<string, unknown>;
  targets: TargetSpec[];
}

/**
 * An EventBridge scheduled rule, on the default bus as on AWS: each period its targets get a
 * "Scheduled Event" (source aws.events), once, even across restarts.
 */
export interface ScheduledRuleSpec {
  name: string;
  description?: string;
  /** PutRule's ScheduleExpression: `rate(5 minutes)` or `cron(0 3 * * ? *)` (6 fields, UTC). */
  scheduleExpression: string;
  targets: TargetSpec[];
}

/** A Lambda function run in this process from its module. */
export interface FunctionSpec {
  name: string;
  /** The handler's module: absolute, or relative to the registry's root folder. */
  module: string;
  /** The module's export that handles an invocation. */
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  /**
   * The function's own variables. During an invocation `process.env` shows these and what
   * Lambda gives every function, nothing else of the process.
   */
  environment: Record<string, string>;
}

/** A Step Functions state machine: its ASL (JSONPath), Task resources naming function ARNs. */
export interface StateMachineSpec {
  name: string;
  definition: string;
}

/** Lambda's DynamoDB event-source mapping: a table's stream to a function, with a filter. */
export interface StreamSubscriptionSpec {
  name: string;
  table: string;
  function: string;
  /** Lambda event-source filter (EventBridge pattern syntax) applied to each stream record. */
  filter: Record<string, unknown>;
  batchSize: number;
}
