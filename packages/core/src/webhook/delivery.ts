import { z } from "zod";
import { deterministicId } from "../ids.js";
import { type AttemptOutcome, isRetryable, isSuccess, nextAttemptAt } from "./retry-policy.js";
import { DeliveryId, SubscriptionId } from "./subscription.js";

// One delivery per (subscription, event): its id is also the webhook-id, so a receiver drops a
// repeat (a retry, a redelivery, a replay) by it. The log keeps the newest attempts and a count.

export const deliveryIdFor = (subscriptionId: string, eventId: string): string =>
  deterministicId("dlv", subscriptionId, eventId);

/**
 * pending: due at nextAttemptAt. delivered: a 2xx. failed: retries exhausted or a non-retryable
 * answer. held: the subscription was paused or disabled when it was due; pending again on resume.
 */
export const DeliveryStatus = z.enum(["pending", "delivered", "failed", "held"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** How much of a response body the log keeps (no headers). */
export const RESPONSE_EXCERPT_BYTES = 1024;
/** How many attempts the log keeps; `attemptCount` counts them all. */
export const MAX_LOGGED_ATTEMPTS = 20;

export const DeliveryAttempt = z.object({
  at: z.iso.datetime(),
  statusCode: z.number().int().optional(),
  /** A network error or timeout, in a few words (never the request). */
  error: z.string().max(200).optional(),
  latencyMs: z.number().int().nonnegative(),
  responseExcerpt: z.string().max(RESPONSE_EXCERPT_BYTES).optional(),
  nextAttemptAt: z.iso.datetime().optional(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const Delivery = z.object({
  deliveryId: DeliveryId,
  subscriptionId: SubscriptionId,
  ownerId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  /** The webhook body as sent (the catalog envelope), so a redelivery sends the same bytes. */
  body: z.string(),
  status: DeliveryStatus,
  createdAt: z.iso.datetime(),
  /** Set while pending: the sweep attempts it from then on. */
  nextAttemptAt: z.iso.datetime().optional(),
  /** The replay that started the current cycle: a repeat of that replay's event changes nothing. */
  replayName: z.string().max(64).optional(),
  /** Attempts in the current cycle (a redelivery or a replay starts a new one). */
  cycleAttempts: z.number().int().nonnegative(),
  attemptCount: z.number().int().nonnegative(),
  /** Newest first, at most MAX_LOGGED_ATTEMPTS. */
  attempts: z.array(DeliveryAttempt).max(MAX_LOGGED_ATTEMPTS),
  updatedAt: z.iso.datetime(),
  revision: z.number().int().positive(),
});
export type Delivery = z.infer<typeof Delivery>;

/** Cuts a body to the excerpt bound (by UTF-8 bytes, not characters). */
export const responseExcerpt = (body: string): string => {
  const bytes = Buffer.from(body, "utf8");
  if (bytes.length <= RESPONSE_EXCERPT_BYTES) return body;
  // Decoding a cut multi-byte sequence yields U+FFFD (3 bytes); leave room and trim to the bound.
  let excerpt = bytes.subarray(0, RESPONSE_EXCERPT_BYTES).toString("utf8");
  while (
    Buffer.byteLength(excerpt, "utf8") > RESPONSE_EXCERPT_BYTES ||
    excerpt.length > RESPONSE_EXCERPT_BYTES
  ) {
    excerpt = excerpt.slice(0, -1);
  }
  return excerpt;
};

/** The delivery after an attempt: logged (newest first, bounded), and its next status. */
export const recordAttempt = (
  delivery: Delivery,
  attempt: DeliveryAttempt,
  status: DeliveryStatus,
): Delivery => ({
  ...delivery,
  status,
  nextAttemptAt: status === "pending" ? attempt.nextAttemptAt : undefined,
  cycleAttempts: delivery.cycleAttempts + 1,
  attemptCount: delivery.attemptCount + 1,
  attempts: [attempt, ...delivery.attempts].slice(0, MAX_LOGGED_ATTEMPTS),
  updatedAt: attempt.at,
  revision: delivery.revision + 1,
});

/** A new attempt cycle (redelivery, replay, release on resume): pending, due `at`, same webhook-id. */
export const startCycle = (delivery: Delivery, at: Date, replayName?: string): Delivery => ({
  ...delivery,
  replayName,
  status: "pending",
  nextAttemptAt: at.toISOString(),
  cycleAttempts: 0,
  updatedAt: at.toISOString(),
  revision: delivery.revision + 1,
});

/**
 * The delivery after an attempt with `outcome`: delivered on a 2xx, pending until the next try
 * while the schedule lasts, else failed. `exhausted` says the failure used up the schedule (the
 * subscription is then disabled); a non-retryable answer fails without disabling.
 */
export const afterAttempt = (input: {
  delivery: Delivery;
  outcome: AttemptOutcome;
  latencyMs: number;
  responseBody?: string;
  schedule: readonly number[];
  now: Date;
  random?: () => number;
}): { delivery: Delivery; exhausted: boolean } => {
  const { delivery, outcome, now } = input;
  const next = nextAttemptAt({
    outcome,
    attemptsInCycle: delivery.cycleAttempts + 1,
    schedule: input.schedule,
    now,
    random: input.random,
  });
  const status: DeliveryStatus = isSuccess(outcome) ? "delivered" : next ? "pending" : "failed";
  const attempt: DeliveryAttempt = {
    at: now.toISOString(),
    ...("statusCode" in outcome
      ? { statusCode: outcome.statusCode }
      : { error: outcome.error.slice(0, 200) }),
    latencyMs: Math.max(0, Math.round(input.latencyMs)),
    ...(input.responseBody !== undefined ? { responseExcerpt: responseExcerpt(input.responseBody) } : {}),
    ...(next ? { nextAttemptAt: next.toISOString() } : {}),
  };
  return {
    delivery: recordAttempt(delivery, attempt, status),
    exhausted: status === "failed" && isRetryable(outcome),
  };
};
