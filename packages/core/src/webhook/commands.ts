import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../actor.js";
import { PrincipalId, Text } from "../bounds.js";
import type { Clock } from "../clock.js";
import {
  conflict,
  DomainError,
  fieldIssuesOf,
  forbidden,
  notFound,
  retryOnConcurrentModification,
  validationError,
} from "../errors.js";
import { createEvent, type DomainEvent } from "../events/define.js";
import { deterministicId } from "../ids.js";
import { endpointProblem } from "./endpoint.js";
import {
  WebhookSubscriptionCreated,
  WebhookSubscriptionDisabled,
  WebhookSubscriptionResumed,
} from "./events.js";
import {
  type EventPatternTester,
  InvalidEventPattern,
  type SubscriptionRepository,
  type SubscriptionRules,
} from "./ports.js";
import { ruleNameFor, type Subscription } from "./subscription.js";

// Subscriptions: the record in DynamoDB is the truth and the bus rule follows it. Creation puts
// the rule first, then the record (a retry after a crash between them re-puts the same rule and
// writes the record); later changes write the record first, then bring the rule in line, so a
// retried request converges either way. Paused and disabled subscriptions keep their rule
// enabled: the delivery function records what it holds back while the subscription is not active.

export interface SubscriptionDeps {
  subscriptions: SubscriptionRepository;
  rules: SubscriptionRules;
  patterns: EventPatternTester;
  clock: Clock;
  settings: {
    /** The prefix of every subscription rule's name (the link's ALLOT_SUBSCRIPTION_RULE_PREFIX). */
    rulePrefix: string;
    /** Whether http://localhost-style endpoints are allowed (locally yes; on AWS no). */
    allowLoopback: boolean;
  };
}

export const MAX_PATTERN_LENGTH = 4096;
export const DEFAULT_OVERLAP_SECONDS = 24 * 3600;
export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;

const Pattern = z.record(z.string(), z.unknown(), {
  error: "must be a JSON object (an EventBridge event pattern)",
});

export const CreateSubscriptionInput = z.strictObject({
  url: z.string().max(2048),
  pattern: Pattern,
  description: Text(500),
  ownerId: PrincipalId.optional(),
});

export const UpdateSubscriptionInput = z
  .strictObject({
    url: z.string().max(2048).optional(),
    pattern: Pattern.optional(),
    description: Text(500).optional(),
  })
  .refine((i) => i.url !== undefined || i.pattern !== undefined || i.description !== undefined, {
    error: "name at least one of url, pattern, description",
  });

export const PauseSubscriptionInput = z.strictObject({ reason: Text(500).optional() });

export const RotateSecretInput = z.strictObject({
  overlapSeconds: z.number().int().min(0).max(MAX_OVERLAP_SECONDS).optional(),
});

const parse = <T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> => {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw validationError(`The ${what} is invalid`, fieldIssuesOf(parsed.error));
  return parsed.data;
};

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString("base64")}`;

/** A subscription as its owner and staff see it: never a secret, only how many sign and until when. */
export type SubscriptionView = Omit<Subscription, "secrets"> & {
  secretsActive: 1 | 2;
  previousSecretExpiresAt?: string;
};

export const subscriptionView = (subscription: Subscription, now: Date): SubscriptionView => {
  const { secrets, ...rest } = subscription;
  const previous = secrets[1];
  const previousLive =
    previous?.expiresAt !== undefined && Date.parse(previous.expiresAt) > now.getTime()
      ? previous
      : undefined;
  return {
    ...rest,
    secretsActive: previousLive ? 2 : 1,
    ...(previousLive?.expiresAt ? { previousSecretExpiresAt: previousLive.expiresAt } : {}),
  };
};

const checkUrl = (deps: SubscriptionDeps, url: string) => {
  const problem = endpointProblem(url, deps.settings.allowLoopback);
  if (problem) throw validationError(`The url ${problem}`, [{ field: "url", message: problem }]);
};

const checkPattern = async (deps: SubscriptionDeps, pattern: Record<string, unknown>) => {
  const length = JSON.stringify(pattern).length;
  if (length > MAX_PATTERN_LENGTH) {
    const message = `must be at most ${MAX_PATTERN_LENGTH} characters of JSON (it is ${length})`;
    throw validationError(`The pattern ${message}`, [{ field: "pattern", message }]);
  }
  try {
    await deps.patterns.validate(pattern);
  } catch (error) {
    if (!(error instanceof InvalidEventPattern)) throw error;
    throw validationError(`The pattern is not a valid EventBridge event pattern: ${error.message}`, [
      { field: "pattern", message: error.message },
    ]);
  }
};

const ownerOf = (actor: Actor, ownerId: string | undefined): string => {
  if (actor.role === "integration") {
    if (ownerId !== undefined && ownerId !== actor.userId)
      throw validationError("An integration subscribes for itself", [
        { field: "ownerId", message: "leave it out (or name your own client id)" },
      ]);
    return actor.userId;
  }
  if (actor.role !== "staff") throw forbidden("Only integrations and staff manage webhook subscriptions");
  if (ownerId === undefined)
    throw validationError("Staff subscribe on behalf of an integration: name it", [
      { field: "ownerId", message: "is required for staff (the integration's client id)" },
    ]);
  return ownerId;
};

/** The subscription the actor may see: an integration only its own (another's id is not found). */
export const visible = async (
  deps: Pick<SubscriptionDeps, "subscriptions">,
  actor: Actor,
  subscriptionId: string,
): Promise<Subscription> => {
  const subscription = await deps.subscriptions.get(subscriptionId);
  if (
    !subscription ||
    !(actor.role === "staff" || (actor.role === "integration" && subscription.ownerId === actor.userId))
  )
    throw notFound(`Subscription ${subscriptionId}`);
  return subscription;
};

const notDeleted = (subscription: Subscription, what: string) => {
  if (subscription.status === "deleted")
    throw conflict(`Subscription ${subscription.subscriptionId} is deleted; it cannot be ${what}`);
};

/** The next revision of a subscription, written conditionally on the one read. */
const save = async (
  deps: SubscriptionDeps,
  current: Subscription,
  changes: Partial<Subscription>,
  events: (next: Subscription) => DomainEvent[] = () => [],
): Promise<Subscription> => {
  const next: Subscription = {
    ...current,
    ...changes,
    updatedAt: deps.clock.now().toISOString(),
    revision: current.revision + 1,
  };
  await deps.subscriptions.update(next, current.revision, events(next));
  return next;
};

const eventData = (s: Subscription) => ({ subscriptionId: s.subscriptionId, ownerId: s.ownerId });

/**
 * Subscribes an endpoint to the events a pattern matches. The id comes from the request's
 * operation (its Idempotency-Key), so a retry lands on the same subscription; the secret is
 * answered here and never again (rotation mints a new one).
 */
export const createSubscription = async (
  deps: SubscriptionDeps,
  actor: Actor,
  input: unknown,
  operationId: string,
): Promise<{ subscription: SubscriptionView; secret: string }> => {
  const parsed = parse(CreateSubscriptionInput, input, "subscription");
  const ownerId = ownerOf(actor, parsed.ownerId);
  checkUrl(deps, parsed.url);
  await checkPattern(deps, parsed.pattern);

  const subscriptionId = deterministicId("sub", operationId);
  const answerExisting = (existing: Subscription) => {
    if (existing.createdBy !== actor.userId || existing.ownerId !== ownerId)
      throw conflict(`Subscription ${subscriptionId} already exists; send a new Idempotency-Key`);
    // The same operation again after its answer was lost: the record holds what it answered.
    const original = existing.secrets.find((s) => s.createdAt === existing.createdAt);
    if (!original)
      throw conflict(
        `Subscription ${subscriptionId} was created and its secret since rotated; rotate it again`,
      );
    return { subscription: subscriptionView(existing, deps.clock.now()), secret: original.secret };
  };
  const existing = await deps.subscriptions.get(subscriptionId);
  if (existing) return answerExisting(existing);

  const at = deps.clock.now().toISOString();
  const secret = newWebhookSecret();
  const subscription: Subscription = {
    subscriptionId,
    ownerId,
    url: parsed.url,
    pattern: parsed.pattern,
    description: parsed.description,
    status: "active",
    secrets: [{ secret, createdAt: at }],
    ruleName: ruleNameFor(deps.settings.rulePrefix, subscriptionId),
    createdAt: at,
    createdBy: actor.userId,
    updatedAt: at,
    revision: 1,
  };
  await deps.rules.put(subscription.ruleName, subscriptionId, subscription.pattern, true);
  try {
    await deps.subscriptions.create(subscription, [
      createEvent(
        WebhookSubscriptionCreated,
        `webhook:${subscriptionId}:created`,
        at,
        eventData(subscription),
      ),
    ]);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "conflict") {
      const winner = await deps.subscriptions.get(subscriptionId);
      if (winner) return answerExisting(winner);
    }
    throw error;
  }
  return { subscription: subscriptionView(subscription, deps.clock.now()), secret };
};

export const getSubscription = async (
  deps: SubscriptionDeps,
  actor: Actor,
  subscriptionId: string,
): Promise<SubscriptionView> =>
  subscriptionView(await visible(deps, actor, subscriptionId), deps.clock.now());

/** An integration's own subscriptions; staff see everyone's, or one integration's with `ownerId`. Newest first. */
export const listSubscriptions = async (
  deps: SubscriptionDeps,
  actor: Actor,
  query: { ownerId?: string; limit: number; cursor?: string },
): Promise<{ items: SubscriptionView[]; cursor?: string }> => {
  if (actor.role !== "staff" && actor.role !== "integration")
    throw forbidden("Only integrations and staff manage webhook subscriptions");
  const ownerId = actor.role === "integration" ? actor.userId : query.ownerId;
  const page = await deps.subscriptions.list({
    limit: query.limit,
    ...(ownerId !== undefined ? { ownerId } : {}),
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
  const now = deps.clock.now();
  return {
    items: page.items.map((s) => subscriptionView(s, now)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
};

/** Changes the endpoint, the pattern or the description; a new pattern is re-put on the rule. */
export const updateSubscription = async (
  deps: SubscriptionDeps,
  actor: Actor,
  subscriptionId: string,
  input: unknown,
): Promise<SubscriptionView> => {
  const parsed = parse(UpdateSubscriptionInput, input, "change");
  if (parsed.url !== undefined) checkUrl(deps, parsed.url);
  if (parsed.pattern !== undefined) await checkPattern(deps, parsed.pattern);
  const current = await visible(deps, actor, subscriptionId);
  notDeleted(current, "changed");
  const next = await save(deps, current, {
    ...(parsed.url !== undefined ? { url: parsed.url } : {}),
    ...(parsed.pattern !== undefined ? { pattern: parsed.pattern } : {}),
    ...(parsed.description !== undefined ? { description: parsed.description } : {}),
  });
  // Re-put whenever a pattern was sent (not only when it differs): a retry after a crash
  // between the record and the rule brings the rule in line.
  if (parsed.pattern !== undefined)
    await deps.rules.put(next.ruleName, next.subscriptionId, next.pattern, true);
  return subscriptionView(next, deps.clock.now());
};

/** Stops sending (matching events are held and go out on resume). Pausing a paused one answers it as is. */
export const pauseSubscription = async (
  deps: SubscriptionDeps,
  actor: Actor,
  subscriptionId: string,
  input: unknown,
): Promise<SubscriptionView> => {
  const { reason } = parse(PauseSubscriptionInput, input, "pause");
  const current = await visible(deps, actor, subscriptionId);
  notDeleted(current, "paused");
  if (current.status === "paused") return subscriptionView(current, deps.clock.now());
  if (current.status === "disabled")
    throw conflict(`Subscription ${subscriptionId} is disabled (deliveries failed); resume it instead`);
  const next = await save(deps, current, {
    status: "paused",
    statusReason: reason ?? `Paused by ${actor.userId}`,
  });
  return subscriptionView(next, deps.clock.now());
};

/** Sends again, held deliveries first (on WebhookSubscriptionResumed). Resuming an active one answers it as is. */
export const resumeSubscription = async (
  deps: SubscriptionDeps,
  actor: Actor,
  subscriptionId: string,
): Promise<SubscriptionView> => {
  const current = await visible(deps, actor, subscriptionId);
  notDeleted(current, "resumed");
  if (current.status === "active") return subscriptionView(current, deps.clock.now());
  const { statusReason: _reason, ...rest } = current;
  const next = await save(deps, rest, { status: "active" }, (n) => [
    createEvent(
      WebhookSubscriptionResumed,
      `webhook:${subscriptionId}:resumed:${n.revision}`,
      n.updatedAt,
      eventData(n),
    ),
  ]);
  return subscriptionView(next, deps.clock.now());
};

/** Ends it: status deleted, rule and target removed; the record and its delivery log stay. */
export const deleteSubscription = async (
  deps: SubscriptionDeps,
  actor: Actor,
  subscriptionId: string,
): Promise<SubscriptionView> => {
  const current = await visible(deps, actor, subscriptionId);
  const next =
    current.status === "deleted"
      ? current
      : await save(deps, current, { status: "deleted", statusReason: `Deleted by ${actor.userId}` });
  // Also on a repeat: a crash after the record was written left the rule behind.
  await deps.rules.delete(next.ruleName);
  return subscriptionView(next, deps.clock.now());
};

/**
 * A new signing secret, answered once. The previous one keeps signing for the overlap (default
 * 24 h, at most 7 days) so receivers can switch; an older one still held is dropped.
 */
export const rotateSecret = async (
  deps: SubscriptionDeps,
  actor: Actor,
  subscriptionId: string,
  overlapSeconds: number = DEFAULT_OVERLAP_SECONDS,
): Promise<{ secret: string; previousSecretExpiresAt: string; subscription: SubscriptionView }> => {
  const { overlapSeconds: overlap = DEFAULT_OVERLAP_SECONDS } = parse(
    RotateSecretInput,
    { overlapSeconds },
    "rotation",
  );
  const current = await visible(deps, actor, subscriptionId);
  notDeleted(current, "rotated");
  const now = deps.clock.now();
  const previous = current.secrets[0];
  if (!previous) throw new Error(`Subscription ${subscriptionId} has no secret`);
  const previousSecretExpiresAt = new Date(now.getTime() + overlap * 1000).toISOString();
  const secret = newWebhookSecret();
  const next = await save(deps, current, {
    secrets: [
      { secret, createdAt: now.toISOString() },
      { secret: previous.secret, createdAt: previous.createdAt, expiresAt: previousSecretExpiresAt },
    ],
  });
  return { secret, previousSecretExpiresAt, subscription: subscriptionView(next, now) };
};

/**
 * For the delivery function: a delivery exhausted its retries, so the subscription stops sending
 * until resumed. Only an active one is disabled; otherwise nothing happens (a repeat, or its owner
 * paused or deleted it meanwhile). Retries a lost race itself (it has no HTTP wrapper).
 */
export const disableSubscription = async (
  deps: Pick<SubscriptionDeps, "subscriptions" | "clock">,
  subscriptionId: string,
  failure: { deliveryId: string; attempts: number; lastStatus?: number },
): Promise<{ disabled: boolean; subscription?: Subscription }> =>
  retryOnConcurrentModification(async () => {
    const current = await deps.subscriptions.get(subscriptionId);
    if (!current) return { disabled: false };
    if (current.status !== "active") return { disabled: false, subscription: current };
    const at = deps.clock.now().toISOString();
    const next: Subscription = {
      ...current,
      status: "disabled",
      statusReason: `Delivery ${failure.deliveryId} failed after ${failure.attempts} attempts${
        failure.lastStatus !== undefined ? ` (last status ${failure.lastStatus})` : ""
      }`,
      updatedAt: at,
      revision: current.revision + 1,
    };
    await deps.subscriptions.update(next, current.revision, [
      createEvent(
        WebhookSubscriptionDisabled,
        `webhook:${subscriptionId}:disabled:${failure.deliveryId}`,
        at,
        {
          ...eventData(current),
          deliveryId: failure.deliveryId,
          attempts: failure.attempts,
          ...(failure.lastStatus !== undefined ? { lastStatus: failure.lastStatus } : {}),
        },
      ),
    ]);
    return { disabled: true, subscription: next };
  });
