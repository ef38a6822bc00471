// The least-privilege IAM statements and the environment variables each stacks/ link becomes.

import { bus, type Link, type TableSpec } from "@allot/stacks";
import {
  envForLink,
  providerEnv,
  SUBSCRIPTION_RULE_PREFIX,
  subscriptionRulesEnv,
  WEBHOOK_DELIVER_FUNCTION,
} from "@allot/stacks/env";
import {
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
  "dynamodb:DescribeTable",
] as const;
export const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
] as const;
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
      return {
        [providerEnv.url]: secretValue(PROVIDER_SECRETS.url),
        [providerEnv.secret]: secretValue(PROVIDER_SECRETS.secret),
        [providerEnv.publicUrl]: secretValue(PROVIDER_SECRETS.publicUrl),
      };
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

const secretValue = (secret: string): ValueRef => ({ ref: { kind: "secret", secret }, attribute: "value" });

/** The least-privilege IAM statements one link becomes. */
export const grantsFor = (link: Link, tables: Map<string, TableSpec>): Statement[] => {
  switch (link.kind) {
    case "table": {
      const table = tables.get(link.table);
      const write = link.access === "readwrite";
      const statements: Statement[] = [
        {
          why: `${write ? "read and write" : "read"} table ${link.table}`,
          actions: write ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : [...TABLE_READ_ACTIONS],
          resources: [{ kind: "table", table: link.table }],
        },
      ];
      if (table?.globalIndexes.length) {
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
