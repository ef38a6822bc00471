import { releaseHeldDeliveries, WebhookSubscriptionResumed } from "@allot/core/webhook";
import { deliveryDeps } from "../lib/deps-deliveries.js";
import { onEvent } from "../lib/event.js";

// A resumed subscription: what was held while it was paused or disabled goes out, oldest first.
export const handler = onEvent(WebhookSubscriptionResumed, async (data) => {
  await releaseHeldDeliveries(deliveryDeps(), data.subscriptionId);
});
