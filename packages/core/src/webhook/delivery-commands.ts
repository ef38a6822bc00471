import type { Clock } from "../clock.js";
import { ConcurrentModification } from "../errors.js";
import { disableSubscription } from "./commands.js";
import { afterAttempt, type Delivery, deliveryIdFor, startCycle } from "./delivery.js";
import type { DeliveryRepository, WebhookSender } from "./delivery-ports.js";
import { webhookPayload } from "./payload.js";
import type { SubscriptionRepository } from "./ports.js";
import { signWebhook } from "./signing.js";
import { type Subscription, signingSecrets } from "./subscription.js";

export interface DeliveryDeps {
  deliveries: DeliveryRepository;
  subscriptions: SubscriptionRepository;
  sender: WebhookSender;
  clock: Clock;
  /** Seconds between tries after the first (retrySchedule(ALLOT_WEBHOOK_RETRY_SCHEDULE)). */
  schedule: readonly number[];
  random?: () => number;
  /** Told of every attempt's result: the functions count failures as a business metric (core has no metrics). */
  onAttempted?: (delivery: Delivery) => void;
}

/** How long a sweep's claim on a due delivery lasts: past the sender's timeout. */
export const CLAIM_SECONDS = 60;

/** The due time that claims a delivery from `now`: no sweep takes it until the claim lapses. */
const claimedFrom = (now: Date) => new Date(now.getTime() + CLAIM_SECONDS * 1000).toISOString();

export type RuleEvent = Parameters<typeof webhookPayload>[0] & { "replay-name"?: string };

/**
 * One matching event for a subscription (the rule target's input): its delivery is created once;
 * each replay starts a new cycle on the same delivery (same webhook-id). Then it is attempted now if the subscription is active, else held.
 */
export const receiveEvent = async (
  deps: DeliveryDeps,
  subscriptionId: string,
  event: RuleEvent,
): Promise<Delivery | undefined> => {
  const subscription = await deps.subscriptions.get(subscriptionId);
  if (!subscription || subscription.status === "deleted") return undefined;
  const now = deps.clock.now();
  const at = now.toISOString();
  // Attempted right away, so claimed by the write that creates it (or starts its cycle): the
  // sweep would otherwise find it due and send it too while this attempt is in flight. A crash
  // before the attempt is logged leaves it to the sweep once the claim lapses.
  const claimedUntil = claimedFrom(now);
  const fresh: Delivery = {
    deliveryId: deliveryIdFor(subscriptionId, event.detail.eventId),
    subscriptionId,
    ownerId: subscription.ownerId,
    eventId: event.detail.eventId,
    eventType: event["detail-type"],
    body: JSON.stringify(webhookPayload(event)),
    status: "pending",
    createdAt: at,
    nextAttemptAt: claimedUntil,
    cycleAttempts: 0,
    attemptCount: 0,
    attempts: [],
    updatedAt: at,
    revision: 1,
  };
  let delivery: Delivery = fresh;
  if (!(await deps.deliveries.createIfAbsent(fresh))) {
    const existing = await deps.deliveries.get(fresh.deliveryId);
    if (!existing) return undefined;
    // Only a replay the delivery has not seen starts a new cycle. A repeat of the event (the bus
    // delivers at least once; a retried publisher sends the same event id again) changes nothing,
    // whatever the delivery's status: a failed one is sent again only when someone redelivers it.
    const replay = event["replay-name"];
    if (replay === undefined || replay === existing.replayName) return existing;
    delivery = { ...startCycle(existing, now, replay), nextAttemptAt: claimedUntil };
    await deps.deliveries.update(delivery, existing.revision);
  }
  return attempt(deps, delivery, subscription);
};

/**
 * Attempts a pending delivery: held if the subscription is not active; else signed with every
 * current secret, sent, logged; a delivery that exhausts its schedule disables the subscription.
 */
export const attempt = async (
  deps: DeliveryDeps,
  delivery: Delivery,
  subscription?: Subscription,
): Promise<Delivery> => {
  const sub = subscription ?? (await deps.subscriptions.get(delivery.subscriptionId));
  const now = deps.clock.now();
  if (sub?.status !== "active") {
    const held: Delivery = {
      ...delivery,
      status: "held",
      nextAttemptAt: undefined,
      updatedAt: now.toISOString(),
      revision: delivery.revision + 1,
    };
    await deps.deliveries.update(held, delivery.revision);
    return held;
  }
  const headers = signWebhook({
    webhookId: delivery.deliveryId,
    body: delivery.body,
    secrets: signingSecrets(sub, now),
    now,
  });
  const result = await deps.sender.send(sub.url, { ...headers }, delivery.body);
  const outcome =
    "error" in result
      ? { error: result.error }
      : { statusCode: result.statusCode, ...(result.retryAfter ? { retryAfter: result.retryAfter } : {}) };
  const { delivery: next, exhausted } = afterAttempt({
    delivery,
    outcome,
    latencyMs: result.latencyMs,
    responseBody: result.body,
    schedule: deps.schedule,
    now: deps.clock.now(),
    random: deps.random,
  });
  await deps.deliveries.update(next, delivery.revision);
  deps.onAttempted?.(next);
  if (exhausted) {
    await disableSubscription(deps, sub.subscriptionId, {
      deliveryId: delivery.deliveryId,
      attempts: next.cycleAttempts,
      ...("statusCode" in outcome ? { lastStatus: outcome.statusCode } : {}),
    });
  }
  return next;
};

export interface SweepOptions {
  /** Due deliveries read per page. */
  limit?: number;
  /** Subscriptions attempted at once; each one's deliveries go one after another, in due order. */
  inFlight?: number;
  /** No page starts after this (epoch ms); without it, one page. */
  until?: number;
}

/** Pages of due deliveries one sweep reads at most, whatever `until` says. */
const MAX_SWEEP_PAGES = 100;

/**
 * The sweep: every due pending delivery, claimed first with a conditional write (its due time
 * moved past the claim), so two sweeps never send one at once; a lost claim is skipped. A few
 * subscriptions at a time (a slow receiver holds up only its own), page after page until none is
 * due or `until` has passed: one run drains far more than a page a minute.
 */
export const retryDueDeliveries = async (
  deps: DeliveryDeps,
  { limit = 100, inFlight = 8, until }: SweepOptions = {},
): Promise<number> => {
  let attempted = 0;
  for (let page = 1; page <= MAX_SWEEP_PAGES; page++) {
    const now = deps.clock.now();
    const due = await deps.deliveries.due(now, limit);
    const lanes = new Map<string, Delivery[]>();
    for (const d of due) lanes.set(d.subscriptionId, [...(lanes.get(d.subscriptionId) ?? []), d]);
    const queue = [...lanes.values()];
    await Promise.all(
      Array.from({ length: Math.min(inFlight, queue.length) }, async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) {
          for (const delivery of lane) if (await claimAndAttempt(deps, delivery, now)) attempted++;
        }
      }),
    );
    if (due.length < limit || until === undefined || Date.now() >= until) break;
  }
  return attempted;
};

const claimAndAttempt = async (deps: DeliveryDeps, due: Delivery, now: Date): Promise<boolean> => {
  const claimed: Delivery = {
    ...due,
    nextAttemptAt: claimedFrom(now),
    revision: due.revision + 1,
  };
  try {
    await deps.deliveries.update(claimed, due.revision);
  } catch (error) {
    if (error instanceof ConcurrentModification) return false;
    throw error;
  }
  await attempt(deps, claimed);
  return true;
};

/** On resume: the subscription's held deliveries become pending, due now, oldest first. */
export const releaseHeldDeliveries = async (deps: DeliveryDeps, subscriptionId: string): Promise<number> => {
  const now = deps.clock.now().getTime();
  const held = await deps.deliveries.held(subscriptionId, 1000);
  let released = 0;
  for (const [index, delivery] of held.entries()) {
    // A millisecond apart, so the sweep (soonest first) sends them in the order they were held.
    const next = startCycle(delivery, new Date(now + index));
    try {
      await deps.deliveries.update(next, delivery.revision);
      released++;
    } catch (error) {
      if (!(error instanceof ConcurrentModification)) throw error;
    }
  }
  return released;
};

/** A redelivery asked for by the owner or staff: a new cycle, now, with the same webhook-id. */
export const redeliver = async (deps: DeliveryDeps, delivery: Delivery): Promise<Delivery> => {
  const now = deps.clock.now();
  // Claimed while this attempt runs, as in receiveEvent.
  const next = {
    ...startCycle(delivery, now),
    nextAttemptAt: claimedFrom(now),
  };
  await deps.deliveries.update(next, delivery.revision);
  return attempt(deps, next);
};
