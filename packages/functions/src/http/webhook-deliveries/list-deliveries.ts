import { DeliveryStatus, listDeliveries } from "@allot/core/webhook";
import { z } from "zod";
import { deliveryDeps } from "../../lib/deps-webhook-deliveries.js";
import { httpHandler } from "../../lib/http.js";
import { DeliveryPage, deliveryView } from "../../responses/webhook-deliveries.js";

export const DeliveryListQuery = z.object({
  status: DeliveryStatus.optional().meta({ description: "Only deliveries in this status" }),
  limit: z.coerce.number().int("must be a whole number").min(1).max(100).default(25),
  cursor: z.string().min(1).max(1024, "is not a cursor this listing returned").optional(),
});

export const handler = httpHandler({
  responses: { 200: DeliveryPage },
  query: DeliveryListQuery,
  handle: async ({ actor, path, query }) => {
    const page = await listDeliveries(deliveryDeps(), actor, path.subscriptionId ?? "", query);
    return { body: { items: page.items.map(deliveryView), nextCursor: page.cursor ?? null } };
  },
});
