import { Subscription } from "@allot/core/webhook";
import { z } from "zod";
import { IsoTime } from "./common.js";

const { secrets: _secrets, ...shown } = Subscription.shape;

export const SubscriptionView = z
  .object({
    ...shown,
    secretsActive: z
      .union([z.literal(1), z.literal(2)])
      .meta({ description: "How many secrets sign deliveries now: 2 during a rotation's overlap" }),
    previousSecretExpiresAt: IsoTime.optional().meta({
      description: "During a rotation's overlap: when the previous secret stops signing",
    }),
  })
  .meta({ id: "WebhookSubscription" });

const Secret = z.string().meta({ description: "The signing secret (whsec_...): shown this once, keep it" });

export const CreatedSubscription = z
  .object({ subscription: SubscriptionView, secret: Secret })
  .meta({ id: "CreatedWebhookSubscription" });

export const RotatedSecret = z
  .object({ secret: Secret, previousSecretExpiresAt: IsoTime, subscription: SubscriptionView })
  .meta({ id: "RotatedWebhookSecret" });

export const SubscriptionPage = z
  .object({
    items: z.array(SubscriptionView),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page" }),
  })
  .meta({ id: "WebhookSubscriptionPage" });
