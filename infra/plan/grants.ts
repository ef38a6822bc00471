// The least-privilege IAM statements and the environment variables each stacks/ link becomes.

import { bus, type Link, type TableSpec } from "@allot/stacks";
import {
  envForLink,
  GITHUB_TOKEN_SECRET,
  providerEnv,
  SUBSCRIPTION_RULE_PREFIX,
  subscriptionRulesEnv,
  WEBHOOK_DELIVER_FUNCTION,
} from "@allot/stacks/env";
import {
  type Condition,
  PROVIDER_SECRETS,
  type Ref,
  type Statement,
  UNSCOPED_EVENTS_ACTIONS,
  type ValueRef,
} from "./types.js";

/** What the subscription adapters do to their rules (and nothing to any other rule). */
export const SUBSCRIPTION_RULE_ACTIONS = [
  "events:PutRule",
  "events:PutTargets",
  "events:RemoveTargets",
  "events:DeleteRule",
  "events:DescribeRule",
  "events:EnableRule",
  "events:DisableRule",
  "events:ListTargetsByRule",
] as const;
export const REPLAY_ACTIONS = ["events:StartReplay", "events:DescribeReplay"] as const;

export const TABLE_READ_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
] as const;
export const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:BatchWriteItem",
] as const;

export const TABLE_DELETE_ACTIONS = ["dynamodb:DeleteItem"] as const;

/** Only items whose partition key starts with one of these entity prefixes (`AWARD#…`). */
export const leadingKeys = (entities: readonly string[]): Condition => ({
  test: "ForAllValues:StringLike",
  variable: "dynamodb:LeadingKeys",
  values: entities.map((entity) => `${entity}#*`),
});
export const MAIL_SEND_ACTIONS = ["ses:SendEmail", "ses:SendRawEmail"] as const;
export const INDEX_READ_ACTIONS = ["dynamodb:Query"] as const;
export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:ListStreams",
] as const;

const STATE_MACHINE_ACTIONS = {
  start: { machine: ["states:StartExecution"], executions: [] },
  callback: {
    machine: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
    executions: [],
  },
  read: {
    machine: ["states:DescribeStateMachine", "states:ListExecutions"],
    executions: [
      "states:DescribeExecution",
      "states:DescribeStateMachineForExecution",
      "states:GetExecutionHistory",
    ],
  },
} as const satisfies Record<string, { machine: readonly string[]; executions: readonly string[] }>;

/**
 * The environment variables a link sets, named as stacks/src/env.ts names them, each with the
 * value it holds: what the local runtime sets, with AWS's names, ARNs and per-stage secrets.
 */
export const envFor = (link: Link): Record<string, ValueRef> => {
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
      // The provider's URL and shared secret are linked SST secrets (secretsFor), never
      // environment values; the public URL is the API's own, which exists before any function
      // (the API is created first, its routes last), so a new stage deploys in one pass.
      return { [providerEnv.publicUrl]: { ref: { kind: "api" }, attribute: "url" } };
    case "registries":
      // The real endpoints are the adapters' defaults; the GitHub token is linked through SST
      // (encrypted in the bundle), never an environment value.
      return {};
    case "subscriptionRules":
      return {
        [subscriptionRulesEnv.rulePrefix]: {
          ref: { kind: "constant", value: SUBSCRIPTION_RULE_PREFIX },
          attribute: "name",
        },
        [subscriptionRulesEnv.busName]: { ref: { kind: "bus", bus: bus.name }, attribute: "name" },
        [subscriptionRulesEnv.deliverFunctionArn]: {
          ref: { kind: "function", function: WEBHOOK_DELIVER_FUNCTION },
          attribute: "arn",
        },
        [subscriptionRulesEnv.archiveArn]: { ref: { kind: "archive", bus: bus.name }, attribute: "arn" },
      };
    case "webhooks":
      // Loopback endpoints stay refused on AWS (ALLOT_WEBHOOK_ALLOW_LOOPBACK unset), and the
      // retry schedule is the house one.
      return {};
  }
};

/** The SST secrets a link reads at run time: linked to the function, never in its environment. */
export const secretsFor = (link: Link): string[] => {
  switch (link.kind) {
    case "provider":
      return [PROVIDER_SECRETS.url, PROVIDER_SECRETS.secret];
    case "registries":
      return [GITHUB_TOKEN_SECRET];
    default:
      return [];
  }
};

/** The least-privilege IAM statements one link becomes. */
export const grantsFor = (link: Link, tables: Map<string, TableSpec>): Statement[] => {
  switch (link.kind) {
    case "table": {
      const table = tables.get(link.table);
      const read = [...new Set([...(link.read ?? []), ...(link.write ?? [])])].sort();
      const write = link.access === "readwrite" ? [...new Set(link.write ?? [])].sort() : [];
      const statements: Statement[] = [
        {
          why: `read ${read.join(", ")} items of table ${link.table}`,
          actions: [...TABLE_READ_ACTIONS],
          resources: [{ kind: "table", table: link.table }],
          conditions: [leadingKeys(read)],
        },
      ];
      if (write.length) {
        statements.push({
          why: `write ${write.join(", ")} items of table ${link.table}`,
          actions: [...TABLE_WRITE_ACTIONS],
          resources: [{ kind: "table", table: link.table }],
          conditions: [leadingKeys(write)],
        });
      }
      const deleted = link.access === "readwrite" ? [...new Set(link.delete ?? [])].sort() : [];
      if (deleted.length) {
        statements.push({
          why: `delete ${deleted.join(", ")} items of table ${link.table} (markers and leases)`,
          actions: [...TABLE_DELETE_ACTIONS],
          resources: [{ kind: "table", table: link.table }],
          conditions: [leadingKeys(deleted)],
        });
      }
      if (table?.globalIndexes.length) {
        // LeadingKeys on an index Query is the index's partition key (e.g. PROGRAM#<id>#AWARDS,
        // CALLS), which follows no entity prefix: the index grant is read-only, Query only, on
        // the table's own indexes, and unconditioned (indexes project listing attributes).
        statements.push({
          why: `query the indexes of table ${link.table}`,
          actions: [...INDEX_READ_ACTIONS],
          resources: table.globalIndexes.map(
            (index): Ref => ({ kind: "index", table: link.table, index: index.name }),
          ),
        });
      }
      return statements;
    }
    case "bus":
      return [
        {
          why: `publish to bus ${link.bus}`,
          actions: ["events:PutEvents"],
          resources: [{ kind: "bus", bus: link.bus }],
        },
      ];
    case "stateMachine": {
      const actions = [...new Set(link.actions)].sort();
      const machine = [...new Set(actions.flatMap((a) => STATE_MACHINE_ACTIONS[a].machine))];
      const executions = [...new Set(actions.flatMap((a) => STATE_MACHINE_ACTIONS[a].executions))];
      const statements: Statement[] = [];
      if (machine.length) {
        statements.push({
          why: `${actions.join(", ")} on state machine ${link.stateMachine}`,
          actions: machine,
          resources: [{ kind: "stateMachine", stateMachine: link.stateMachine }],
        });
      }
      if (executions.length) {
        statements.push({
          why: `read the executions of state machine ${link.stateMachine}`,
          actions: executions,
          resources: [{ kind: "executions", stateMachine: link.stateMachine }],
        });
      }
      return statements;
    }
    case "mail":
      return [
        {
          why: "send mail as the stage's sender (SES identity: the address or its domain)",
          actions: [...MAIL_SEND_ACTIONS],
          resources: [
            { kind: "mailIdentity", form: "address" },
            { kind: "mailIdentity", form: "domain" },
          ],
        },
      ];
    case "provider":
      // Plain HTTPS to the provider, signed with the shared secret: no AWS resource to grant.
      return [];
    case "registries":
      // Plain HTTPS to public APIs: nothing on AWS.
      return [];
    case "subscriptionRules":
      return [
        {
          why: `manage the webhook subscription rules on bus ${bus.name} (${SUBSCRIPTION_RULE_PREFIX}*), no other rule`,
          actions: [...SUBSCRIPTION_RULE_ACTIONS],
          resources: [{ kind: "subscriptionRules", bus: bus.name }],
        },
        {
          why: "check subscription patterns with EventBridge's own matcher (TestEventPattern has no resource on AWS)",
          actions: [...UNSCOPED_EVENTS_ACTIONS],
          resources: [{ kind: "wildcard", reason: "events:TestEventPattern is not resource-scoped" }],
        },
        {
          why: `replay the archive of bus ${bus.name} to one subscription rule`,
          actions: [...REPLAY_ACTIONS],
          resources: [{ kind: "archive", bus: bus.name }, { kind: "replays" }],
        },
      ];
    case "webhooks":
      // Plain HTTPS to subscribers' endpoints: nothing on AWS.
      return [];
  }
};
