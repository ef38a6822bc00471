import {
  dynamoSubscriptionRepository,
  eventBridgePatternTester,
  eventBridgeSubscriptionRules,
  linked,
} from "@allot/adapters";
import { systemClock } from "@allot/core";
import type { SubscriptionDeps } from "@allot/core/webhook";
import { subscriptionRulesEnv, webhooksEnv } from "@allot/stacks/env";
import { doc, eventBridge, onFirstCall, once, tableName } from "./deps.js";

// Subscriptions: the record in the table, the rule on the bus (the subscriptionRules link names
// the bus and the delivery function), the bus's own pattern matcher.

const variable = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is this function linked to subscriptionRules?`);
  return value;
};

export const subscriptionDeps = once(
  (): SubscriptionDeps => ({
    subscriptions: dynamoSubscriptionRepository(doc(), tableName()),
    rules: onFirstCall(() =>
      eventBridgeSubscriptionRules(eventBridge(), {
        busName: variable(subscriptionRulesEnv.busName),
        deliverFunctionArn: variable(subscriptionRulesEnv.deliverFunctionArn),
      }),
    ),
    patterns: onFirstCall(() => eventBridgePatternTester(eventBridge())),
    clock: systemClock,
    settings: {
      get rulePrefix() {
        return linked({ kind: "subscriptionRules" });
      },
      // Unset on AWS: only there is a loopback endpoint refused outright.
      get allowLoopback() {
        return process.env[webhooksEnv.allowLoopback] === "true";
      },
    },
  }),
);
