import { deleteSubscription } from "@allot/core/webhook";
import { subscriptionDeps } from "../../lib/deps-webhooks.js";
import { httpHandler } from "../../lib/http.js";
import { SubscriptionView } from "../../responses/webhooks.js";

// The record stays (status deleted) with its delivery log; the rule goes.
export const handler = httpHandler({
  responses: { 200: SubscriptionView },
  handle: async ({ actor, path }) => ({
    body: await deleteSubscription(subscriptionDeps(), actor, path.subscriptionId ?? ""),
  }),
});
