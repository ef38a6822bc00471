import type { Logger } from "../logger.js";
import { type ArchiveBatchItem, batchMembers, releasedBatch } from "./archive-batch.js";
import type { DeliveryStore } from "./deliveries.js";
import { keyId } from "./keys.js";
import type { DeliveryRecord } from "./types.js";
import type { Leasable, Work } from "./work.js";

/** What the batches ask of the dispatcher that runs their deliveries. */
export interface LiveBatchesDeps {
  store: DeliveryStore;
  logger: Logger;
  leaseMs: number;
  owner(): string;
  running(): boolean;
  /** Ours, with a margin no other instance can claim it within. */
  leaseIsSafe(item: Leasable): boolean;
  /** Written unconditionally with the next settled deliveries: only under a safe lease. */
  settle(item: DeliveryRecord | ArchiveBatchItem): void;
  /** A write the dispatcher waits for before it is idle or stopped. */
  track<T>(promise: Promise<T>): Promise<T>;
  enqueue(work: Work[]): void;
}

/** A batch whose lease this process holds, and its deliveries that have no item of their own yet. */
interface LiveBatch {
  item: ArchiveBatchItem;
  owed: Map<string, DeliveryRecord>;
  /** Owed deliveries known to have succeeded, their records kept for the batch's release. */
  succeeded: Map<string, DeliveryRecord>;
  /** Writes `succeeded` as records of their own when the batch is still owed at the end of the window. */
  spillTimer?: NodeJS.Timeout;
}

/**
 * How long a batch keeps its succeeded deliveries' records for its release while others are
 * still owed. Longer saves more writes; what a kill loses in that window is delivered again.
 */
const BATCH_WINDOW_MS = 10;

/**
 * The archive batches (archive-batch.ts) leased to this process, until each is released: their
 * deliveries run under the batch's lease, and each either succeeds (its record goes into the
 * release) or gets an item of its own (a failure, a lease in doubt, a slow sibling), after
 * which the item answers for it and the batch no longer does.
 */
export class LiveBatches {
  private readonly batches = new Map<string, LiveBatch>();
  /** Deliveries owed by a live batch, by id: their lease is the batch's. */
  private readonly memberOf = new Map<string, LiveBatch>();

  constructor(private readonly deps: LiveBatchesDeps) {}

  /** Whether a live batch answers for this delivery (it has no item of its own). */
  has(deliveryId: string): boolean {
    return this.memberOf.has(deliveryId);
  }

  /** Runs the deliveries a batch leased to us still owes, and releases it once none is owed. */
  adopt(item: ArchiveBatchItem, members: DeliveryRecord[]) {
    const batch: LiveBatch = { item, owed: new Map(members.map((m) => [keyId(m), m])), succeeded: new Map() };
    this.batches.set(keyId(item), batch);
    for (const memberId of batch.owed.keys()) this.memberOf.set(memberId, batch);
    if (batch.owed.size === 0) this.releaseIfDone(batch);
    this.deps.enqueue(members.map((member) => ({ pk: member.pk, sk: member.sk, claimed: member })));
  }

  /**
   * Takes up a batch claimed from the due index (its writer died or let its lease lapse): its
   * deliveries that already have an item are that item's business; the others are ours to run.
   */
  async takeUp(item: ArchiveBatchItem, stillCurrent: () => boolean) {
    const members = batchMembers(item);
    const existing = await this.deps.track(this.deps.store.existing(members));
    if (!stillCurrent()) return;
    this.adopt(
      item,
      members.filter((member) => !existing.has(keyId(member))),
    );
  }

  /** The delivery succeeded under the batch's safe lease: its record waits for the release. */
  succeeded(deliveryId: string, delivered: DeliveryRecord): boolean {
    const batch = this.memberOf.get(deliveryId);
    if (!batch) return false;
    batch.succeeded.set(deliveryId, delivered);
    this.releaseIfDone(batch);
    return true;
  }

  /** The delivery has an item of its own now: its batch no longer answers for it. */
  settled(deliveryId: string) {
    const batch = this.memberOf.get(deliveryId);
    if (!batch) return;
    this.memberOf.delete(deliveryId);
    batch.owed.delete(deliveryId);
    this.releaseIfDone(batch);
  }

  /** Writes a delivery of a live batch as an item of its own; false when another instance has it. */
  async materialize(record: DeliveryRecord): Promise<boolean> {
    const written = await this.deps.store.putIfOurs(record, this.deps.owner());
    // Either way the delivery is no longer the batch's to answer for.
    this.settled(keyId(record));
    return written;
  }

  /** A delivery of a live batch gets its item, as it stands, before a failure is recorded on it. */
  async ownItem(record: DeliveryRecord): Promise<boolean> {
    if (!this.memberOf.has(keyId(record))) return true;
    return this.materialize(record);
  }

  /** Extends the lease of every live batch, and so of its deliveries. */
  async renew(stillCurrent: () => boolean) {
    const { store, logger, leaseMs, track } = this.deps;
    for (const [id, batch] of [...this.batches]) {
      const now = Date.now();
      try {
        const kept = await track(store.renew(batch.item, this.deps.owner(), now, leaseMs));
        if (!kept || !stillCurrent() || this.batches.get(id) !== batch) continue;
        batch.item.leaseUntil = now + leaseMs;
        for (const member of batch.owed.values()) member.leaseUntil = batch.item.leaseUntil;
      } catch (error) {
        logger.warn("eventbridge lease renewal failed", { batch: id, error: String(error) });
      }
    }
  }

  /** On stop: successes already known are recorded; the rest is left to the batches' leases. */
  stop() {
    for (const batch of this.batches.values()) this.spill(batch);
    this.batches.clear();
    this.memberOf.clear();
  }

  /**
   * Releases the batch once each of its deliveries has an item of its own or is known to have
   * succeeded; the records of the latter go into the release.
   */
  private releaseIfDone(batch: LiveBatch) {
    if (batch.owed.size > batch.succeeded.size) {
      if (batch.succeeded.size > 0 && this.deps.running())
        batch.spillTimer ??= setTimeout(() => this.spill(batch), BATCH_WINDOW_MS);
      return;
    }
    clearTimeout(batch.spillTimer);
    const id = keyId(batch.item);
    if (this.batches.get(id) === batch) this.batches.delete(id);
    for (const memberId of batch.owed.keys()) this.memberOf.delete(memberId);
    // The other deliveries' records are written by now: the batch goes out with the next ones.
    const released = releasedBatch(batch.item, [...batch.succeeded.values()]);
    if (this.deps.running() && this.deps.leaseIsSafe(batch.item)) {
      this.deps.settle(released);
      return;
    }
    const { logger, store, track } = this.deps;
    void track(
      store.release(released, this.deps.owner()).catch((error) => {
        // Left in the due index: whoever claims it finds every delivery's item and releases it.
        logger.warn("eventbridge could not release a batch", { batch: id, error: String(error) });
      }),
    );
  }

  /**
   * The batch's succeeded deliveries get records of their own, with the next settled ones: a
   * batch held open by a slow delivery must not leave the others to be sent again after a kill.
   */
  private spill(batch: LiveBatch) {
    clearTimeout(batch.spillTimer);
    batch.spillTimer = undefined;
    if (this.deps.leaseIsSafe(batch.item)) {
      for (const record of batch.succeeded.values()) this.deps.settle(record);
    } else {
      for (const record of batch.succeeded.values()) {
        void this.deps.track(this.materialize(record)).catch((error) => {
          // Left owed by the batch: delivered again once its lease runs out (at least once).
          this.deps.logger.warn("eventbridge could not record a delivery", {
            delivery: record.deliveryId,
            error: String(error),
          });
        });
      }
    }
    batch.succeeded.clear();
  }
}
