import { PrincipalId } from "@allot/core";
import { listSubscriptions } from "@allot/core/webhook";
import { z } from "zod";
import { subscriptionDeps } from "../../lib/deps-webhooks.js";
import { httpHandler } from "../../lib/http.js";
import { SubscriptionPage } from "../../responses/webhooks.js";

export const SubscriptionListQuery = z.object({
  ownerId: PrincipalId.optional().meta({ description: "Staff: one integration's subscriptions" }),
  limit: z.coerce.number().int("must be a whole number").min(1).max(100).default(25),
  cursor: z.string().min(1).max(1024, "is not a cursor this listing returned").optional(),
});

export const handler = httpHandler({
  responses: { 200: SubscriptionPage },
  query: SubscriptionListQuery,
  handle: async ({ actor, query }) => {
    const page = await listSubscriptions(subscriptionDeps(), actor, query);
    return { body: { items: page.items, nextCursor: page.cursor ?? null } };
  },
});
