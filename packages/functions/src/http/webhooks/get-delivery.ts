import { getDelivery } from "@allot/core/webhook";
import { deliveryDeps } from "../../lib/deps-deliveries.js";
import { httpHandler } from "../../lib/http.js";
import { DeliveryView } from "../../responses/webhooks.js";

export const handler = httpHandler({
  responses: { 200: DeliveryView },
  handle: async ({ actor, path }) => ({
    body: await getDelivery(deliveryDeps(), actor, path.subscriptionId ?? "", path.deliveryId ?? ""),
  }),
});
