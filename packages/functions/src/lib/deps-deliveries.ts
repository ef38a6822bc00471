import {
  dynamoDeliveryRepository,
  dynamoSubscriptionRepository,
  eventBridgeArchiveReplayer,
  httpWebhookSender,
} from "@allot/adapters";
import { systemClock } from "@allot/core";
import { type DeliveryDeps, retrySchedule } from "@allot/core/webhook";
import { subscriptionRulesEnv, webhooksEnv } from "@allot/stacks/env";
import { doc, eventBridge, once, tableName } from "./deps.js";

// Deliveries: the log in the table, the subscriptions it reads, the HTTP sender (loopback only
// where the webhooks link allows it: locally), the retry schedule (short in tests).

export const deliveryDeps = once(
  (): DeliveryDeps => ({
    deliveries: dynamoDeliveryRepository(doc(), tableName()),
    subscriptions: dynamoSubscriptionRepository(doc(), tableName()),
    sender: httpWebhookSender({ allowLoopback: process.env[webhooksEnv.allowLoopback] === "true" }),
    clock: systemClock,
    schedule: retrySchedule(process.env[webhooksEnv.retrySchedule]),
  }),
);

/** Replays read the bus archive (the subscriptionRules link names it and the bus). */
export const replayDeps = once(() => {
  const archiveArn = process.env[subscriptionRulesEnv.archiveArn];
  const busName = process.env[subscriptionRulesEnv.busName];
  if (!archiveArn || !busName) throw new Error("replays need the subscriptionRules link");
  const busArn = `${archiveArn.split(":archive/")[0]}:event-bus/${busName}`;
  return { ...deliveryDeps(), replayer: eventBridgeArchiveReplayer(eventBridge(), { archiveArn, busArn }) };
});
