import { getDelivery } from "@allot/core/webhook";
import { deliveryDeps } from "../../lib/deps-webhook-deliveries.js";
import { httpHandler } from "../../lib/http.js";
import { DeliveryView, deliveryView } from "../../responses/webhook-deliveries.js";

export const handler = httpHandler({
  responses: { 200: DeliveryView },
  handle: async ({ actor, path }) => ({
    body: deliveryView(
      await getDelivery(deliveryDeps(), actor, path.subscriptionId ?? "", path.deliveryId ?? ""),
    ),
  }),
});
