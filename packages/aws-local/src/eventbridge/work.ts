import type { ArchiveBatchItem } from "./archive-batch.js";
import type { ItemKey } from "./keys.js";
import type { DeliveryRecord, DeliveryStatus } from "./types.js";

/**
 * A delivery to attempt: its key, and the item itself when this process wrote it already
 * leased; or a batch of deliveries (archive-batch.ts), with its members when this process
 * wrote it already leased.
 */
export type Work = ItemKey & {
  claimed?: DeliveryRecord;
  batch?: { item: ArchiveBatchItem; members: DeliveryRecord[] };
};

/** What a lease is taken on: a delivery, or a batch of them. */
export type Leasable = ItemKey & {
  status?: DeliveryStatus;
  leaseOwner?: string;
  leaseUntil?: number;
  gsi1sk?: string;
};
