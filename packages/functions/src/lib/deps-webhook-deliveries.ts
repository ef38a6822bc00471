import { dynamoDeliveryRepository, eventBridgeArchiveReplayer, httpWebhookSender } from "@allot/adapters";
import { systemClock } from "@allot/core";
import { type DeliveryDeps, retrySchedule } from "@allot/core/webhook";
import { subscriptionRulesEnv, webhooksEnv } from "@allot/stacks/env";
import { doc, eventBridge, once, onFirstCall, tableName } from "./deps.js";
import { subscriptionDeps } from "./deps-webhooks.js";
import { businessMetric } from "./metrics.js";

// Deliveries: the log in the table, the subscription it belongs to, the HTTP sender (the webhooks
// link says whether loopback endpoints are allowed and, in tests, a short retry schedule).

export const deliveryDeps = once(
  (): DeliveryDeps => ({
    deliveries: dynamoDeliveryRepository(doc(), tableName()),
    subscriptions: subscriptionDeps().subscriptions,
    sender: httpWebhookSender({ allowLoopback: process.env[webhooksEnv.allowLoopback] === "true" }),
    clock: systemClock,
    schedule: retrySchedule(process.env[webhooksEnv.retrySchedule]),
    onAttempted: (delivery) => {
      if (delivery.status === "failed") businessMetric("webhookDeliveryFailed");
    },
  }),
);

const variable = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is this function linked to subscriptionRules?`);
  return value;
};

/** The bus archive replays a range to one subscription's rule (the subscriptionRules link). */
export const archiveReplayer = once(() =>
  onFirstCall(() => {
    const archiveArn = variable(subscriptionRulesEnv.archiveArn);
    const busName = variable(subscriptionRulesEnv.busName);
    // The archive's ARN names the region and account the bus lives in.
    const [prefix] = archiveArn.split(":archive/");
    return eventBridgeArchiveReplayer(eventBridge(), {
      archiveArn,
      busArn: `${prefix}:event-bus/${busName}`,
    });
  }),
);
