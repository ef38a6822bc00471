import { CreateSubscriptionInput, createSubscription } from "@allot/core/webhook";
import { z } from "zod";
import { httpHandler } from "../../lib/http.js";
import { operationOf } from "../../lib/idempotency.js";
import { subscriptionDeps } from "../../lib/deps-webhooks.js";
import { CreatedSubscription } from "../../responses/webhooks.js";

// The Idempotency-Key names the subscription: a retry gets the same one, and its secret.
export const handler = httpHandler({
  responses: { 201: CreatedSubscription },
  body: z.unknown(),
  bodyValidatedInCore: CreateSubscriptionInput,
  handle: async (request) => {
    const created = await createSubscription(subscriptionDeps(), request.actor, request.body, operationOf(request));
    return {
      status: 201,
      body: created,
      headers: { location: `/webhooks/subscriptions/${created.subscription.subscriptionId}` },
    };
  },
});
