import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const subscription = z.object({ subscriptionId: z.string(), ownerId: z.string() });

export const WebhookSubscriptionCreated = defineEvent(
  Sources.webhooks,
  "Webhook Subscription Created",
  1,
  subscription,
  {
    description: "An integration subscribed an endpoint to events matching a pattern.",
    example: { subscriptionId: "sub_01jd3q0c5y8w2t6r4p9m7k1h3f", ownerId: "cli_billing" },
  },
);

/** A delivery exhausted its retries: the subscription stops sending; its owner and staff are told. */
export const WebhookSubscriptionDisabled = defineEvent(
  Sources.webhooks,
  "Webhook Subscription Disabled",
  1,
  subscription.extend({
    deliveryId: z.string(),
    attempts: z.number().int().nonnegative(),
    lastStatus: z.number().int().optional(),
  }),
  {
    description:
      "A delivery to the subscription's endpoint failed for every retry over at least 24 hours, so the subscription was disabled; events keep being recorded and go out on resume.",
    example: {
      subscriptionId: "sub_01jd3q0c5y8w2t6r4p9m7k1h3f",
      ownerId: "cli_billing",
      deliveryId: "dlv_7k2m9p4r6t8v0x2z4b6d8f0h2j",
      attempts: 9,
      lastStatus: 503,
    },
  },
);

/** Resumed by its owner or staff (after a pause or an automatic disable): held deliveries go out. */
export const WebhookSubscriptionResumed = defineEvent(
  Sources.webhooks,
  "Webhook Subscription Resumed",
  1,
  subscription,
  {
    description:
      "A paused or disabled subscription was resumed; deliveries held meanwhile are sent, oldest first.",
    example: { subscriptionId: "sub_01jd3q0c5y8w2t6r4p9m7k1h3f", ownerId: "cli_billing" },
  },
);

export const webhookEvents = [
  WebhookSubscriptionCreated,
  WebhookSubscriptionDisabled,
  WebhookSubscriptionResumed,
];
