// The vocabulary of the topology. Plain data: both realizations (infra/ on AWS and the
// local runtime) read values of these types and nothing else describes resources.

export type Role = "staff" | "reviewer" | "applicant" | "integration";

export interface KeyAttribute {
  name: string;
  type: "S" | "N";
}

export interface IndexSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

export interface TableSpec {
  /** Logical name; the physical name is `${app}-${stage}-${name}` on AWS and `name` locally. */
  name: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  globalIndexes: IndexSpec[];
  stream: "NEW_IMAGE" | "NEW_AND_OLD_IMAGES";
  ttlAttribute: string;
}

export interface BusSpec {
  name: string;
  archiveRetentionDays: number;
}

/** What a function may touch; becomes both its environment and its IAM grants. */
export type Link =
  /**
   * `read` / `write` name the entities (partition-key prefixes, stacks/src/table-access.ts) the
   * function touches; on AWS each becomes a `dynamodb:LeadingKeys` condition. A table link
   * without them cannot be granted (the plan refuses it): `fn()` fills them from TABLE_ACCESS.
   */
  | {
      kind: "table";
      table: string;
      access: "read" | "readwrite";
      read?: string[];
      write?: string[];
      delete?: string[];
    }
  | { kind: "bus"; bus: string }
  | { kind: "stateMachine"; stateMachine: string; actions: Array<"start" | "callback" | "read"> }
  /** Sends mail: on AWS it grants ses:SendEmail and sets the sender address. */
  | { kind: "mail" }
  /**
   * Talks to the compute provider (AMIE-shaped HTTP): its base URL and the shared secret that
   * signs both directions, plus this deployment's public URL for the provider's callbacks.
   */
  | { kind: "provider" }
  /**
   * Looks outputs up in the scholarly registries (Crossref, DataCite, arXiv) and on GitHub:
   * locally their stand-in's base URLs, on AWS the real endpoints and the optional per-stage
   * GitHub token secret.
   */
  | { kind: "registries" }
  /**
   * Manages the per-subscription webhook rules on the bus: PutRule, PutTargets, RemoveTargets,
   * DeleteRule, EnableRule and DisableRule on rules named with the subscription prefix, whose one
   * target is the webhook delivery function; TestEventPattern to validate patterns; StartReplay
   * from the bus archive to one such rule. Variables: `subscriptionRulesEnv` in env.ts.
   */
  | { kind: "subscriptionRules" }
  /**
   * Sends signed webhooks to subscribers' endpoints (plain HTTPS, nothing on AWS to grant). On AWS
   * every address is checked after DNS resolution (no private, loopback, link-local or metadata
   * addresses); locally loopback HTTP is allowed. Variables: `webhooksEnv` in env.ts.
   */
  | { kind: "webhooks" };

export interface FunctionSpec {
  name: string;
  /** Module path from the repository root and the exported handler: "packages/functions/src/x.ts#handler". */
  handler: string;
  description: string;
  links: Link[];
  timeoutSeconds: number;
  memoryMb: number;
  /** Served only by the local runtime, never deployed to AWS: why, and what does it there. */
  localOnly?: string;
}

export interface RouteSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** API Gateway route syntax: "/proposals/{proposalId}". */
  path: string;
  function: string;
  /** Roles allowed; the handler enforces finer rules (ownership, assignment). */
  roles: Role[];
  /** Only for routes that must work without a token (the OpenAPI document, health). */
  public?: boolean;
  /**
   * Required when `roles` includes "integration": the client-credentials scopes that open the
   * route to an integration's token (any one of them). People's roles are unaffected.
   */
  scopes?: Array<"usage:write" | "events:subscribe" | "events:read" | "programs:read">;
  /**
   * The route takes the client's Idempotency-Key header, and requires it: a retry with the same
   * key and request gets the first answer again, and the command runs once.
   */
  idempotencyKey?: "required";
  /** Served only by the local runtime, never deployed to AWS: why, and what does it there. */
  localOnly?: string;
}

export interface RetryPolicy {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
}

export type TargetSpec = { kind: "function"; function: string; retry: RetryPolicy };

export interface RuleSpec {
  name: string;
  bus: string;
  description: string;
  pattern: Record<string, unknown>;
  targets: TargetSpec[];
}

/**
 * A function run on a clock. On AWS an EventBridge scheduled rule (default bus) invokes it with a
 * "Scheduled Event"; locally the runtime fires it on the same expression. The handler must be
 * idempotent per period: a schedule may fire twice or late.
 */
export interface ScheduleSpec {
  name: string;
  description: string;
  /** EventBridge schedule syntax: `rate(1 day)`, `rate(6 hours)` or `cron(0 3 * * ? *)` (UTC). */
  expression: `rate(${string})` | `cron(${string})`;
  function: string;
  retry: RetryPolicy;
}

export interface StreamSubscriptionSpec {
  name: string;
  table: string;
  function: string;
  /** Lambda event-source filter (EventBridge pattern syntax) applied to each stream record. */
  filter: Record<string, unknown>;
  batchSize: number;
}

export interface StateMachineSpec {
  name: string;
  description: string;
  /** ASL (JSONPath); `${function:NAME}` placeholders are replaced by each realization. */
  definition: Record<string, unknown>;
  /** The functions its tasks invoke, derived from the definition (stacks/src/asl/walk.ts). */
  functions: string[];
}

export interface Topology {
  app: string;
  tables: TableSpec[];
  buses: BusSpec[];
  functions: FunctionSpec[];
  routes: RouteSpec[];
  rules: RuleSpec[];
  schedules: ScheduleSpec[];
  streamSubscriptions: StreamSubscriptionSpec[];
  stateMachines: StateMachineSpec[];
}
