import { getSubscription } from "@allot/core/webhook";
import { subscriptionDeps } from "../../lib/deps-webhooks.js";
import { httpHandler } from "../../lib/http.js";
import { SubscriptionView } from "../../responses/webhooks.js";

export const handler = httpHandler({
  responses: { 200: SubscriptionView },
  handle: async ({ actor, path }) => ({
    body: await getSubscription(subscriptionDeps(), actor, path.subscriptionId ?? ""),
  }),
});
