import { z } from "zod";
import { mintedId, PrincipalId, Text } from "../bounds.js";

// A webhook subscription: an integration's HTTPS endpoint and the EventBridge pattern that selects
// what it receives. Each one is realized as a rule on the bus (named from its id) whose target is
// the delivery function; the record here is the source of truth, the rule follows it.

export const SubscriptionId = mintedId("sub", "subscription");
export const DeliveryId = mintedId("dlv", "delivery");

/**
 * active: delivering. paused: by its owner or staff; disabled: automatically, after a delivery
 * exhausted its retries. While paused or disabled, matching events are still recorded as held
 * deliveries and go out, oldest first, on resume. deleted: the rule is gone, the record and its
 * delivery log are kept.
 */
export const SubscriptionStatus = z.enum(["active", "paused", "disabled", "deleted"]);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

/** A Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes. */
export const WebhookSecret = z
  .string()
  .max(100)
  .regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, "must be whsec_ followed by base64");

/** A signing secret as stored. During a rotation's overlap both the new and the previous sign. */
export const SigningSecret = z.object({
  secret: WebhookSecret,
  createdAt: z.iso.datetime(),
  /** Set on the previous secret at rotation: it stops signing after this instant. */
  expiresAt: z.iso.datetime().optional(),
});
export type SigningSecret = z.infer<typeof SigningSecret>;

export const Subscription = z.object({
  subscriptionId: SubscriptionId,
  /** The integration it delivers for: its client id (the token's subject). */
  ownerId: PrincipalId,
  url: z.url().max(2048),
  /** An EventBridge event pattern, validated by the bus's own matcher (TestEventPattern). */
  pattern: z.record(z.string(), z.unknown()),
  description: Text(500),
  status: SubscriptionStatus,
  /** Why it is paused or disabled, for the owner and staff. */
  statusReason: Text(500).optional(),
  /** Newest first; the first one is current. Never shown after creation or rotation. */
  secrets: z.array(SigningSecret).min(1).max(2),
  /** The bus rule that realizes it. */
  ruleName: z.string().max(64),
  createdAt: z.iso.datetime(),
  createdBy: PrincipalId,
  updatedAt: z.iso.datetime(),
  /** Optimistic concurrency: every change is conditional on the revision it read. */
  revision: z.number().int().positive(),
});
export type Subscription = z.infer<typeof Subscription>;

/** The secrets that sign a delivery at `now`: the current one, and the previous during its overlap. */
export const signingSecrets = (subscription: Subscription, now: Date): string[] =>
  subscription.secrets
    .filter((s) => s.expiresAt === undefined || Date.parse(s.expiresAt) > now.getTime())
    .map((s) => s.secret);

/** The rule name for a subscription: the prefix IAM scopes rule actions to, and the id. */
export const ruleNameFor = (prefix: string, subscriptionId: string): string => `${prefix}${subscriptionId}`;
