import type { DomainEvent } from "../events/define.js";
import type { Subscription } from "./subscription.js";

/** The subscription records (DynamoDB). Writes are conditional on the revision read. */
export interface SubscriptionRepository {
  get(subscriptionId: string): Promise<Subscription | undefined>;
  /** Creates it with its events (outbox); an existing id is a conflict (DomainError "conflict"). */
  create(subscription: Subscription, events: DomainEvent[]): Promise<void>;
  /** Replaces it, with its events, if its stored revision is `expectedRevision` (else ConcurrentModification). */
  update(subscription: Subscription, expectedRevision: number, events: DomainEvent[]): Promise<void>;
  /** By owner (an integration's own) or all (staff), newest first, paged. */
  list(query: {
    ownerId?: string;
    limit: number;
    cursor?: string;
  }): Promise<{ items: Subscription[]; cursor?: string }>;
}

/** The bus rule that realizes a subscription (EventBridge PutRule/PutTargets/...; same API both places). */
export interface SubscriptionRules {
  /** Creates or updates the rule with the pattern and its one target, the delivery function. Idempotent. */
  put(
    ruleName: string,
    subscriptionId: string,
    pattern: Record<string, unknown>,
    enabled: boolean,
  ): Promise<void>;
  /** Removes the target and the rule; a missing rule is not an error. */
  delete(ruleName: string): Promise<void>;
}

/** Thrown by EventPatternTester for a pattern the bus refuses; the message names the problem. */
export class InvalidEventPattern extends Error {
  override readonly name = "InvalidEventPattern";
}

/** The bus's own matcher (EventBridge TestEventPattern). */
export interface EventPatternTester {
  /** Throws InvalidEventPattern for a pattern the bus would refuse. */
  validate(pattern: Record<string, unknown>): Promise<void>;
  matches(pattern: Record<string, unknown>, event: Record<string, unknown>): Promise<boolean>;
}

/** Replays archived bus events of [from, to) to one rule (EventBridge StartReplay with FilterArns). */
export interface ArchiveReplayer {
  start(input: {
    replayName: string;
    ruleName: string;
    from: Date;
    to: Date;
  }): Promise<{ replayName: string }>;
}
