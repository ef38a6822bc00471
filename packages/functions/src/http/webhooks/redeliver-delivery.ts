import { redeliverDelivery } from "@allot/core/webhook";
import { deliveryDeps } from "../../lib/deps-deliveries.js";
import { httpHandler } from "../../lib/http.js";
import { DeliveryView } from "../../responses/webhooks.js";

// A new attempt cycle now, same webhook-id; the Idempotency-Key makes a retry answer the same.
export const handler = httpHandler({
  responses: { 202: DeliveryView },
  handle: async ({ actor, path }) => ({
    status: 202,
    body: await redeliverDelivery(deliveryDeps(), actor, path.subscriptionId ?? "", path.deliveryId ?? ""),
  }),
});
