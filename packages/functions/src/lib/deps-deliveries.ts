import { dynamoDeliveryRepository, dynamoSubscriptionRepository, httpWebhookSender } from "@allot/adapters";
import { systemClock } from "@allot/core";
import { type DeliveryDeps, retrySchedule } from "@allot/core/webhook";
import { webhooksEnv } from "@allot/stacks/env";
import { doc, once, tableName } from "./deps.js";

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
