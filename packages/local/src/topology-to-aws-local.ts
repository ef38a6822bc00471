import {
  bus,
  type FunctionSpec,
  type Link,
  renderDefinition,
  type ScheduleSpec,
  type Topology,
} from "@allot/stacks";
import {
  envForLink,
  providerEnv,
  registriesEnv,
  SUBSCRIPTION_RULE_PREFIX,
  subscriptionRulesEnv,
  WEBHOOK_DELIVER_FUNCTION,
  webhooksEnv,
} from "@allot/stacks/env";
import { registriesBaseUrls } from "@allot/standins";
import type { AwsLocalConfig, FunctionSpec as LocalFunctionSpec, ScheduledRuleSpec } from "aws-local";
import { functionArn, stateMachineArn } from "aws-local";
import { LOCAL_TELEMETRY_ENV } from "./local-telemetry.js";

/** Where the local stand-ins of what links reach outside AWS live, and the local-only mail settings. */
export interface LocalServices {
  providerUrl: string;
  providerSecret: string;
  publicUrl: string;
  /** The registries stand-in (Crossref, DataCite, arXiv, GitHub under one root). */
  registriesUrl: string;
  /** Mail goes to files here, one RFC 5322 message each, instead of SES. */
  mailDir: string;
  /** The staff mailbox, when the operator names one (ALLOT_STAFF_EMAIL). */
  staffEmail?: string;
  /** Seconds between webhook retries ("1,1,2"), for tests; unset: the house schedule. */
  webhookRetrySchedule?: string;
}

/** The variables one link gives a function locally: the names AWS uses, local values. */
export const linkEnvironment = (link: Link, services: LocalServices): Record<string, string> => {
  switch (link.kind) {
    case "table":
      return { [envForLink(link)]: link.table };
    case "bus":
      return { [envForLink(link)]: link.bus };
    case "stateMachine":
      return { [envForLink(link)]: stateMachineArn(link.stateMachine) };
    case "mail":
      return {
        [envForLink(link)]: "Allot <no-reply@allot.local>",
        ALLOT_MAIL_DIR: services.mailDir,
        ...(services.staffEmail ? { ALLOT_STAFF_EMAIL: services.staffEmail } : {}),
      };
    case "provider":
      return {
        [providerEnv.url]: services.providerUrl,
        [providerEnv.secret]: services.providerSecret,
        [providerEnv.publicUrl]: services.publicUrl,
      };
    case "registries": {
      const urls = registriesBaseUrls(services.registriesUrl);
      return {
        [registriesEnv.crossref]: urls.crossref,
        [registriesEnv.datacite]: urls.datacite,
        [registriesEnv.arxiv]: urls.arxiv,
        [registriesEnv.github]: urls.github,
      };
    }
    case "subscriptionRules":
      // The archive is the bus's own locally (aws-local keeps one per bus): its ARN names the bus.
      return {
        [subscriptionRulesEnv.rulePrefix]: SUBSCRIPTION_RULE_PREFIX,
        [subscriptionRulesEnv.busName]: bus.name,
        [subscriptionRulesEnv.deliverFunctionArn]: functionArn(WEBHOOK_DELIVER_FUNCTION),
        [subscriptionRulesEnv.archiveArn]: `arn:aws:events:us-east-1:000000000000:archive/${bus.name}`,
      };
    case "webhooks":
      return {
        [webhooksEnv.allowLoopback]: "true",
        ...(services.webhookRetrySchedule
          ? { [webhooksEnv.retrySchedule]: services.webhookRetrySchedule }
          : {}),
      };
  }
};

/**
 * A stacks/ function as aws-local runs it: its module and export, and only its links' variables
 * (with the tracer and metrics off: local-telemetry.ts).
 */
export const localFunction = (fn: FunctionSpec, services: LocalServices): LocalFunctionSpec => {
  const [module, handler = "handler"] = fn.handler.split("#") as [string, string?];
  return {
    name: fn.name,
    module,
    handler,
    timeoutSeconds: fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
    environment: Object.assign(
      { ...LOCAL_TELEMETRY_ENV },
      ...fn.links.map((link) => linkEnvironment(link, services)),
    ),
  };
};

/** A stacks/ schedule as aws-local runs it: a scheduled rule with one function target, as on AWS. */
export const localScheduledRule = (schedule: ScheduleSpec): ScheduledRuleSpec => ({
  name: schedule.name,
  description: schedule.description,
  scheduleExpression: schedule.expression,
  targets: [{ kind: "function", function: schedule.function, retry: schedule.retry }],
});

/** stacks/ in aws-local's terms: the one place the local realization reads the topology. */
export const awsLocalTopology = (
  topology: Topology,
  services: LocalServices,
): Pick<
  AwsLocalConfig,
  "tables" | "buses" | "rules" | "scheduledRules" | "functions" | "stateMachines" | "streamSubscriptions"
> => ({
  tables: topology.tables,
  buses: topology.buses,
  rules: topology.rules,
  scheduledRules: topology.schedules.map(localScheduledRule),
  functions: topology.functions.map((fn) => localFunction(fn, services)),
  stateMachines: topology.stateMachines.map((machine) => ({
    name: machine.name,
    definition: renderDefinition(machine, functionArn),
  })),
  streamSubscriptions: topology.streamSubscriptions,
});
