import { releaseHeldDeliveries, WebhookSubscriptionResumed } from "@allot/core/webhook";
import { deliveryDeps } from "../lib/deps-webhook-deliveries.js";
import { onEvent } from "../lib/event.js";

// A resumed subscription's held deliveries go out, oldest first.
export const handler = onEvent(WebhookSubscriptionResumed, async (data, { logger }) => {
  const released = await releaseHeldDeliveries(deliveryDeps(), data.subscriptionId);
  logger.info("held deliveries released", { subscriptionId: data.subscriptionId, released });
});
