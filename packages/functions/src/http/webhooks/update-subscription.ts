import { UpdateSubscriptionInput, updateSubscription } from "@allot/core/webhook";
import { z } from "zod";
import { subscriptionDeps } from "../../lib/deps-webhooks.js";
import { httpHandler } from "../../lib/http.js";
import { SubscriptionView } from "../../responses/webhooks.js";

export const handler = httpHandler({
  responses: { 200: SubscriptionView },
  body: z.unknown(),
  bodyValidatedInCore: UpdateSubscriptionInput,
  handle: async ({ actor, path, body }) => ({
    body: await updateSubscription(subscriptionDeps(), actor, path.subscriptionId ?? "", body),
  }),
});
