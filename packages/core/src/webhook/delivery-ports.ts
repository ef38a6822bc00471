import type { Delivery, DeliveryStatus } from "./delivery.js";
import type { AttemptOutcome } from "./retry-policy.js";

/** The delivery log (DynamoDB). Writes are conditional on the revision read. */
export interface DeliveryRepository {
  get(deliveryId: string): Promise<Delivery | undefined>;
  /** Creates it unless it exists; answers whether it did. */
  createIfAbsent(delivery: Delivery): Promise<boolean>;
  /** Replaces it if its stored revision is `expectedRevision` (else ConcurrentModification). */
  update(delivery: Delivery, expectedRevision: number): Promise<void>;
  /** A subscription's deliveries, newest first, paged. */
  listBySubscription(query: {
    subscriptionId: string;
    status?: DeliveryStatus;
    limit: number;
    cursor?: string;
  }): Promise<{ items: Delivery[]; cursor?: string }>;
  /** Pending deliveries due at `now` (the sparse due index), soonest first. */
  due(now: Date, limit: number): Promise<Delivery[]>;
  /** A subscription's held deliveries, oldest first. */
  held(subscriptionId: string, limit: number): Promise<Delivery[]>;
}

/** Sends one signed webhook (the SSRF-checked HTTP adapter). */
export interface WebhookSender {
  send(
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<AttemptOutcome & { latencyMs: number; body?: string }>;
}
