import { redeliverFor } from "@allot/core/webhook";
import { deliveryDeps } from "../../lib/deps-webhook-deliveries.js";
import { httpHandler } from "../../lib/http.js";
import { DeliveryView, deliveryView } from "../../responses/webhook-deliveries.js";

// Sent again now with the same webhook-id; the Idempotency-Key makes a retried request answer
// the first redelivery rather than send a third time.
export const handler = httpHandler({
  responses: { 200: DeliveryView },
  handle: async ({ actor, path }) => ({
    body: deliveryView(
      await redeliverFor(deliveryDeps(), actor, path.subscriptionId ?? "", path.deliveryId ?? ""),
    ),
  }),
});
