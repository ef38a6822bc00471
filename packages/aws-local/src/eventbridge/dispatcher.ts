import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { monotonicFactory } from "ulid";
import type { LambdaInvoker } from "../lambda/invoker.js";
import type { Logger } from "../logger.js";
import { type ArchiveBatchItem, batchMembers, isArchiveBatch, releasedBatch } from "./archive-batch.js";
import { type BackoffPolicy, retryDelay } from "./backoff.js";
import { type DeliveryStore, deliveredItem, transformedInput } from "./deliveries.js";
import { dueSk, type ItemKey, keyId } from "./keys.js";
import { sleep } from "./limit.js";
import type { DeliveryError, DeliveryRecord, DeliveryStatus, EventEnvelope } from "./types.js";

export interface DispatcherOptions {
  store: DeliveryStore;
  lambda: LambdaInvoker;
  logger: Logger;
  concurrency: number;
  leaseMs: number;
  sweepIntervalMs: number;
  sweepBatch: number;
  backoff: BackoffPolicy;
  /** Sends deliveries to API destinations. */
  http: { send(record: DeliveryRecord): Promise<DeliveryError | undefined> };
}

/** A transformed input is JSON as a rule writes it; text that is not JSON reaches the function as a string. */
const inputPayload = (input: string): unknown => {
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
};

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

/** A batch whose lease this process holds, and its deliveries that have no item of their own yet. */
interface LiveBatch {
  item: ArchiveBatchItem;
  owed: Map<string, DeliveryRecord>;
  /** Owed deliveries known to have succeeded, their records kept for the batch's release. */
  succeeded: Map<string, DeliveryRecord>;
  /** Writes `succeeded` as records of their own when the batch is still owed at the end of the window. */
  spillTimer?: NodeJS.Timeout;
}

type Tracked = "queued" | "inflight" | "waiting";

/** BatchWriteItem's limit; also how many settled deliveries wait for one write. */
const SETTLE_BATCH = 25;
const SETTLE_WINDOW_MS = 2;
/**
 * How long a batch keeps its succeeded deliveries' records for its release while others are
 * still owed. Longer saves more writes; what a kill loses in that window is delivered again.
 */
const BATCH_WINDOW_MS = 10;

// Work reaches the dispatcher three ways: PutEvents, replay and re-drive hand over what they
// just wrote (PutEvents writes a batch of deliveries, and replay its deliveries, already leased
// to this process, so the common path costs no claim); a failed attempt arms a timer for its retry; and a slow
// sweep of the due index picks up what nobody here tracks: retries and leases left behind by a
// process that died, or work another instance abandoned.
//
// DynamoDB Local manages a few hundred conditional single-item writes a second but well over a
// thousand items a second in BatchWriteItem, so successes (the bulk) are settled in batches.
// That write is unconditional, which is safe only while our lease has a good margin left: no
// other instance can claim an item before its lease ends. Otherwise, and for every failure, the
// outcome is a conditional write on our lease.
export class Dispatcher {
  private readonly options: DispatcherOptions;
  private readonly nextDeadLetterId = monotonicFactory();
  private readonly safeMarginMs: number;
  private owner = "";
  private generation = 0;
  private running = false;
  private queue: Work[] = [];
  /** Index of the next work in `queue`: Array.shift() is linear, and bursts queue thousands. */
  private head = 0;
  private readonly tracked = new Map<string, Tracked>();
  private readonly inflight = new Set<string>();
  /** Deliveries being invoked under our lease: renewed until their outcome is known. */
  private readonly leases = new Map<string, DeliveryRecord>();
  private readonly batches = new Map<string, LiveBatch>();
  /** Deliveries owed by a live batch, by id: their lease is the batch's. */
  private readonly memberOf = new Map<string, LiveBatch>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly writes = new Set<Promise<unknown>>();
  /** Delivered records, and batches released once their deliveries' records are written. */
  private settleBuffer: Array<DeliveryRecord | ArchiveBatchItem> = [];
  private settleTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private sweepAgain = false;
  private sweepHadMore = false;
  private idleWaiters: Array<() => void> = [];

  constructor(options: DispatcherOptions) {
    this.options = options;
    this.safeMarginMs = Math.floor(options.leaseMs / 2);
  }

  async start() {
    if (this.running) return;
    this.running = true;
    this.generation++;
    this.owner = `${hostname()}:${process.pid}:${randomUUID()}`;
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
    this.sweepTimer.unref();
    this.renewTimer = setInterval(
      () => void this.renewLeases(),
      Math.max(50, Math.floor(this.options.leaseMs / 3)),
    );
    this.renewTimer.unref();
    await this.sweep();
    this.pump();
  }

  /**
   * Stops at once: finishes the writes under way (including recording successes already
   * known) and writes nothing after; invocations under way are left to finish unheard, and
   * their deliveries are taken up again once their lease runs out.
   */
  async stop() {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    clearInterval(this.sweepTimer);
    clearInterval(this.renewTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue = [];
    this.head = 0;
    this.tracked.clear();
    this.inflight.clear();
    this.leases.clear();
    for (const batch of this.batches.values()) this.spill(batch);
    this.batches.clear();
    this.memberOf.clear();
    this.flushSettled();
    await Promise.allSettled([...this.writes]);
    this.resolveIdle();
  }

  /** Leases a delivery about to be written to this process, so that it needs no claim; false when stopped. */
  preclaim(item: Leasable, now: number): boolean {
    if (!this.running) return false;
    const leaseUntil = now + this.options.leaseMs;
    item.status = "running";
    item.leaseOwner = this.owner;
    item.leaseUntil = leaseUntil;
    item.gsi1sk = dueSk(leaseUntil, item);
    return true;
  }

  enqueue(work: Work[]) {
    for (const item of work) {
      if (this.running && item.batch && item.batch.item.leaseOwner === this.owner) {
        // Written leased by us a moment ago: none of its deliveries can have an item yet.
        this.adopt(item.batch.item, item.batch.members);
        continue;
      }
      const id = keyId(item);
      const state = this.tracked.get(id);
      if (state === "queued" || state === "inflight") continue;
      if (state === "waiting") {
        clearTimeout(this.timers.get(id));
        this.timers.delete(id);
      }
      this.tracked.set(id, "queued");
      this.queue.push(item);
    }
    this.pump();
  }

  /** Resolves when no delivery is owed anywhere in the table (a helper for tests and shutdown). */
  async idle() {
    for (;;) {
      if (!this.isIdleHere()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      if (!this.running) return;
      const earliest = await this.options.store.earliestOwed();
      if (earliest === undefined) {
        if (this.isIdleHere()) return;
        continue;
      }
      // Owed but not tracked here: a retry of another instance, or a lease that has yet to run out.
      await sleep(Math.min(this.options.sweepIntervalMs, Math.max(10, earliest - Date.now() + 5)));
      await this.sweep();
    }
  }

  private queued() {
    return this.queue.length - this.head;
  }

  private isIdleHere() {
    return (
      this.queued() === 0 &&
      this.inflight.size === 0 &&
      this.timers.size === 0 &&
      this.settleBuffer.length === 0 &&
      this.sweeping === undefined &&
      this.writes.size === 0
    );
  }

  private resolveIdle() {
    if (this.running && !this.isIdleHere()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.writes.add(promise);
    const forget = () => {
      this.writes.delete(promise);
      if (this.writes.size === 0) queueMicrotask(() => this.resolveIdle());
    };
    promise.then(forget, forget);
    return promise;
  }

  private pump() {
    if (!this.running) return;
    while (this.inflight.size < this.options.concurrency && this.queued() > 0) {
      const work = this.queue[this.head++] as Work;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      const id = keyId(work);
      this.tracked.set(id, "inflight");
      this.inflight.add(id);
      void this.attempt(work, id, this.generation);
    }
    if (this.queued() === 0) {
      this.queue = [];
      this.head = 0;
      if (this.sweepHadMore) void this.sweep();
    }
    this.resolveIdle();
  }

  private async sweep(): Promise<void> {
    if (!this.running) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return this.sweeping;
    }
    const generation = this.generation;
    this.sweeping = (async () => {
      try {
        let startKey: Record<string, unknown> | undefined;
        let found = 0;
        do {
          const page = await this.options.store.due(Date.now(), this.options.sweepBatch, startKey);
          if (generation !== this.generation) return;
          this.enqueue(page.keys.filter((key) => this.tracked.get(keyId(key)) !== "inflight"));
          startKey = page.next;
          found += page.keys.length;
        } while (startKey && found < this.options.sweepBatch * 4);
        // Bounded per sweep so that a large backlog cannot swamp memory; pump() sweeps again when drained.
        this.sweepHadMore = startKey !== undefined;
      } catch (error) {
        this.options.logger.warn("eventbridge sweep failed", { error: String(error) });
      }
    })();
    try {
      await this.sweeping;
    } finally {
      this.sweeping = undefined;
      if (this.sweepAgain && this.running) {
        this.sweepAgain = false;
        void this.sweep();
      }
      this.resolveIdle();
    }
  }

  private async renewLeases() {
    if (!this.running) return;
    const generation = this.generation;
    for (const [id, batch] of [...this.batches]) {
      const now = Date.now();
      try {
        const kept = await this.track(
          this.options.store.renew(batch.item, this.owner, now, this.options.leaseMs),
        );
        if (!kept || generation !== this.generation || this.batches.get(id) !== batch) continue;
        batch.item.leaseUntil = now + this.options.leaseMs;
        for (const member of batch.owed.values()) member.leaseUntil = batch.item.leaseUntil;
      } catch (error) {
        this.options.logger.warn("eventbridge lease renewal failed", { batch: id, error: String(error) });
      }
    }
    for (const [id, record] of [...this.leases]) {
      if (this.memberOf.has(id)) continue;
      const now = Date.now();
      try {
        const kept = await this.track(
          this.options.store.renew(record, this.owner, now, this.options.leaseMs),
        );
        if (kept) record.leaseUntil = now + this.options.leaseMs;
        else if (generation === this.generation && this.leases.has(id)) {
          this.options.logger.warn("eventbridge delivery lease lost to another instance", {
            delivery: record.deliveryId,
          });
        }
      } catch (error) {
        this.options.logger.warn("eventbridge lease renewal failed", {
          delivery: record.deliveryId,
          error: String(error),
        });
      }
    }
  }

  private leaseIsSafe(record: Leasable) {
    return record.leaseOwner === this.owner && (record.leaseUntil ?? 0) - Date.now() > this.safeMarginMs;
  }

  /** The delivery under a lease of ours with a safe margin, or undefined when another instance has it. */
  private async take(work: Work): Promise<DeliveryRecord | undefined> {
    const { store, leaseMs } = this.options;
    const claimed = work.claimed;
    if (claimed && this.memberOf.has(keyId(work))) {
      if (this.leaseIsSafe(claimed)) {
        claimed.attempts += 1;
        return claimed;
      }
      // The batch's lease is in doubt: the delivery goes on under a lease of its own.
      const now = Date.now();
      const leaseUntil = now + leaseMs;
      const own: DeliveryRecord = {
        ...claimed,
        status: "running",
        leaseOwner: this.owner,
        leaseUntil,
        gsi1sk: dueSk(leaseUntil, claimed),
      };
      const taken = await this.track(this.materialize(own));
      if (!taken) return undefined;
      own.attempts += 1;
      return own;
    }
    if (claimed && claimed.leaseOwner === this.owner) {
      // A pre-claimed attempt is counted in memory and stored with its outcome: a crash before
      // the outcome leaves it uncounted, whereas counting it up front would charge every
      // delivery still queued at a crash with an attempt that never happened.
      if (this.leaseIsSafe(claimed)) {
        claimed.attempts += 1;
        return claimed;
      }
      // Queued for long: extend our own lease rather than claim anew.
      const now = Date.now();
      if (await this.track(store.renew(claimed, this.owner, now, leaseMs))) {
        claimed.leaseUntil = now + leaseMs;
        claimed.attempts += 1;
        return claimed;
      }
    }
    return this.track(store.claim(work, this.owner, Date.now(), leaseMs));
  }

  private async attempt(work: Work, id: string, generation: number) {
    const { store, logger } = this.options;
    let record: DeliveryRecord | undefined;
    try {
      record = await this.take(work);
      if (!record || generation !== this.generation) return;
      if (isArchiveBatch(record as { kind?: string })) {
        await this.takeUpBatch(record as unknown as ArchiveBatchItem, generation);
        record = undefined;
        return;
      }
      this.leases.set(id, record);
      if (Date.now() > record.firstAt + record.maximumEventAgeSeconds * 1000) {
        this.leases.delete(id);
        const error = {
          type: "MaximumEventAgeExceeded",
          message: "The event is older than the target's maximumEventAgeSeconds",
        };
        if (await this.track(this.ownItem(record))) await this.fail(record, error, generation, true);
        return;
      }
      const outcome = await this.invoke(record);
      if (generation !== this.generation) return;
      this.leases.delete(id);
      if (outcome === undefined) {
        const batch = this.memberOf.get(id);
        if (this.leaseIsSafe(record) && batch) {
          batch.succeeded.set(id, deliveredItem(record, Date.now()));
          this.releaseIfDone(batch);
        } else if (this.leaseIsSafe(record)) {
          this.settle(deliveredItem(record, Date.now()));
        } else if (this.memberOf.has(id)) {
          await this.track(this.materialize(deliveredItem(record, Date.now())));
        } else {
          await this.track(store.delivered(record, this.owner, Date.now()));
        }
        return;
      }
      if (await this.track(this.ownItem(record))) await this.fail(record, outcome, generation, false);
    } catch (error) {
      logger.error("eventbridge delivery bookkeeping failed", { delivery: id, error: String(error) });
      // Whatever we hold stays leased; look again once the lease has run out.
      if (record && generation === this.generation)
        this.arm(this.memberOf.has(id) ? work : record, id, (record.leaseUntil ?? Date.now()) + 50);
    } finally {
      if (generation === this.generation) {
        this.inflight.delete(id);
        this.leases.delete(id);
        if (this.tracked.get(id) === "inflight") this.tracked.delete(id);
        this.pump();
      }
    }
  }

  private flushSettled() {
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    const batch = this.settleBuffer;
    if (batch.length === 0) return;
    this.settleBuffer = [];
    const owner = this.owner;
    void this.track(
      (async () => {
        const { store, logger } = this.options;
        try {
          const unwritten = await store.putDelivered(batch);
          const missed = new Set(unwritten);
          for (const item of batch) if (!missed.has(item)) this.settledMember(keyId(item));
          // Those may still be ours: record them one by one, on the lease.
          for (const item of unwritten) {
            if (isArchiveBatch(item)) await store.release(item, owner);
            else if (this.memberOf.has(keyId(item))) await this.materialize(item);
            else await store.delivered(item, owner, item.deliveredAt ?? Date.now());
          }
        } catch (error) {
          // Unrecorded successes are delivered again once their lease runs out: at least once.
          logger.error("eventbridge could not record deliveries", {
            count: batch.length,
            error: String(error),
          });
        }
      })(),
    );
  }

  /** Undefined when the target succeeded, else what went wrong. */
  private async invoke(record: DeliveryRecord): Promise<DeliveryError | undefined> {
    try {
      if (record.destination !== undefined) return await this.options.http.send(record);
      const input = transformedInput(record);
      const payload = input === undefined ? (JSON.parse(record.event) as EventEnvelope) : inputPayload(input);
      const result = await this.options.lambda.invoke(record.function, payload);
      return result.ok ? undefined : { type: result.errorType, message: result.errorMessage };
    } catch (error) {
      const failure = error as { name?: string; message?: string };
      return { type: failure?.name ?? "Error", message: failure?.message ?? String(error) };
    }
  }

  private async fail(record: DeliveryRecord, error: DeliveryError, generation: number, tooOld: boolean) {
    const { store, logger } = this.options;
    const now = Date.now();
    const dueAt = now + retryDelay(record.attempts, this.options.backoff);
    const retriesLeft = record.attempts <= record.maximumRetryAttempts && error.retryable !== false;
    const ageLeft = dueAt <= record.firstAt + record.maximumEventAgeSeconds * 1000;
    if (!tooOld && retriesLeft && ageLeft) {
      if (await this.track(store.retryLater(record, this.owner, dueAt, error))) {
        logger.debug("eventbridge delivery failed, will retry", {
          delivery: record.deliveryId,
          attempts: record.attempts,
          error,
        });
        if (generation === this.generation) this.arm(record, keyId(record), dueAt);
      }
      return;
    }
    const id = this.nextDeadLetterId(now);
    if (await this.track(store.deadLetter(record, this.owner, now, error, id))) {
      logger.warn("eventbridge delivery dead-lettered", {
        deadLetter: id,
        delivery: record.deliveryId,
        rule: record.rule,
        function: record.function,
        attempts: record.attempts,
        error,
      });
    }
  }

  /**
   * Takes up a batch claimed from the due index (its writer died or let its lease lapse): its
   * deliveries that already have an item are that item's business; the others are ours to run.
   */
  private async takeUpBatch(item: ArchiveBatchItem, generation: number) {
    const members = batchMembers(item);
    const existing = await this.track(this.options.store.existing(members));
    if (generation !== this.generation) return;
    this.adopt(
      item,
      members.filter((member) => !existing.has(keyId(member))),
    );
  }

  /** Runs the deliveries a batch leased to us still owes, and releases it once none is owed. */
  private adopt(item: ArchiveBatchItem, members: DeliveryRecord[]) {
    const batch: LiveBatch = { item, owed: new Map(members.map((m) => [keyId(m), m])), succeeded: new Map() };
    const id = keyId(item);
    this.batches.set(id, batch);
    for (const memberId of batch.owed.keys()) this.memberOf.set(memberId, batch);
    if (batch.owed.size === 0) this.releaseIfDone(batch);
    this.enqueue(members.map((member) => ({ pk: member.pk, sk: member.sk, claimed: member })));
  }

  /** The delivery has an item of its own now: its batch no longer answers for it. */
  private settledMember(id: string) {
    const batch = this.memberOf.get(id);
    if (!batch) return;
    this.memberOf.delete(id);
    batch.owed.delete(id);
    this.releaseIfDone(batch);
  }

  /** Written unconditionally with the next settled deliveries: see leaseIsSafe. */
  private settle(item: DeliveryRecord | ArchiveBatchItem) {
    this.settleBuffer.push(item);
    if (this.settleBuffer.length >= SETTLE_BATCH) this.flushSettled();
    else this.settleTimer ??= setTimeout(() => this.flushSettled(), SETTLE_WINDOW_MS);
  }

  /**
   * Releases the batch once each of its deliveries has an item of its own or is known to have
   * succeeded; the records of the latter go into the release.
   */
  private releaseIfDone(batch: LiveBatch) {
    if (batch.owed.size > batch.succeeded.size) {
      if (batch.succeeded.size > 0 && this.running)
        batch.spillTimer ??= setTimeout(() => this.spill(batch), BATCH_WINDOW_MS);
      return;
    }
    clearTimeout(batch.spillTimer);
    const id = keyId(batch.item);
    if (this.batches.get(id) === batch) this.batches.delete(id);
    for (const memberId of batch.owed.keys()) this.memberOf.delete(memberId);
    // The other deliveries' records are written by now: the batch goes out with the next ones.
    const released = releasedBatch(batch.item, [...batch.succeeded.values()]);
    if (this.running && this.leaseIsSafe(batch.item)) {
      this.settle(released);
      return;
    }
    const { logger, store } = this.options;
    void this.track(
      store.release(released, this.owner).catch((error) => {
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
    if (!this.leaseIsSafe(batch.item)) {
      for (const record of batch.succeeded.values()) {
        void this.track(this.materialize(record)).catch((error) => {
          // Left owed by the batch: delivered again once its lease runs out (at least once).
          this.options.logger.warn("eventbridge could not record a delivery", {
            delivery: record.deliveryId,
            error: String(error),
          });
        });
      }
    } else {
      for (const record of batch.succeeded.values()) this.settle(record);
    }
    batch.succeeded.clear();
  }

  /** Writes a delivery of a live batch as an item of its own; false when another instance has it. */
  private async materialize(record: DeliveryRecord): Promise<boolean> {
    const id = keyId(record);
    const written = await this.options.store.putIfOurs(record, this.owner);
    // Either way the delivery is no longer the batch's to answer for.
    this.settledMember(id);
    return written;
  }

  /** A delivery of a live batch gets its item, as it stands, before a failure is recorded on it. */
  private async ownItem(record: DeliveryRecord): Promise<boolean> {
    if (!this.memberOf.has(keyId(record))) return true;
    return this.materialize(record);
  }

  private arm(key: Work, id: string, at: number) {
    if (!this.running) return;
    this.tracked.set(id, "waiting");
    clearTimeout(this.timers.get(id));
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        if (this.tracked.get(id) === "waiting") this.tracked.delete(id);
        this.enqueue([this.memberOf.has(id) ? key : { pk: key.pk, sk: key.sk }]);
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref();
    this.timers.set(id, timer);
  }
}
