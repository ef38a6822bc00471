import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { monotonicFactory } from "ulid";
import type { LambdaInvoker } from "../lambda/invoker.js";
import type { Logger } from "../logger.js";
import { type ArchiveBatchItem, isArchiveBatch } from "./archive-batch.js";
import { type BackoffPolicy, retryDelay } from "./backoff.js";
import type { DeliveryStore } from "./deliveries.js";
import { deliveredItem, transformedInput } from "./delivery-record.js";
import { dueSk, keyId } from "./keys.js";
import { sleep } from "./limit.js";
import { LiveBatches } from "./live-batches.js";
import type { DeliveryError, DeliveryRecord, EventEnvelope } from "./types.js";
import type { Leasable, Work } from "./work.js";

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

type Tracked = "queued" | "inflight" | "waiting";

/** BatchWriteItem's limit; also how many settled deliveries wait for one write. */
const SETTLE_BATCH = 25;
const SETTLE_WINDOW_MS = 2;

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
// outcome is a conditional write on our lease. The deliveries of an archive batch run under the
// batch's lease and are accounted for by live-batches.ts.
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
  private readonly batches: LiveBatches;
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
    this.batches = new LiveBatches({
      store: options.store,
      logger: options.logger,
      leaseMs: options.leaseMs,
      owner: () => this.owner,
      running: () => this.running,
      leaseIsSafe: (item) => this.leaseIsSafe(item),
      settle: (item) => this.settle(item),
      track: (promise) => this.track(promise),
      enqueue: (work) => this.enqueue(work),
    });
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
    this.batches.stop();
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
        this.batches.adopt(item.batch.item, item.batch.members);
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
    await this.batches.renew(() => generation === this.generation);
    for (const [id, record] of [...this.leases]) {
      if (this.batches.has(id)) continue;
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
    if (claimed && this.batches.has(keyId(work))) {
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
      const taken = await this.track(this.batches.materialize(own));
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
        await this.batches.takeUp(
          record as unknown as ArchiveBatchItem,
          () => generation === this.generation,
        );
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
        if (await this.track(this.batches.ownItem(record))) await this.fail(record, error, generation, true);
        return;
      }
      const outcome = await this.invoke(record);
      if (generation !== this.generation) return;
      this.leases.delete(id);
      if (outcome === undefined) {
        const delivered = deliveredItem(record, Date.now());
        if (this.leaseIsSafe(record)) {
          if (!this.batches.succeeded(id, delivered)) this.settle(delivered);
        } else if (this.batches.has(id)) {
          await this.track(this.batches.materialize(delivered));
        } else {
          await this.track(store.delivered(record, this.owner, Date.now()));
        }
        return;
      }
      if (await this.track(this.batches.ownItem(record))) await this.fail(record, outcome, generation, false);
    } catch (error) {
      logger.error("eventbridge delivery bookkeeping failed", { delivery: id, error: String(error) });
      // Whatever we hold stays leased; look again once the lease has run out.
      if (record && generation === this.generation)
        this.arm(this.batches.has(id) ? work : record, id, (record.leaseUntil ?? Date.now()) + 50);
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
          for (const item of batch) if (!missed.has(item)) this.batches.settled(keyId(item));
          // Those may still be ours: record them one by one, on the lease.
          for (const item of unwritten) {
            if (isArchiveBatch(item)) await store.release(item, owner);
            else if (this.batches.has(keyId(item))) await this.batches.materialize(item);
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

  /** Written unconditionally with the next settled deliveries: see leaseIsSafe. */
  private settle(item: DeliveryRecord | ArchiveBatchItem) {
    this.settleBuffer.push(item);
    if (this.settleBuffer.length >= SETTLE_BATCH) this.flushSettled();
    else this.settleTimer ??= setTimeout(() => this.flushSettled(), SETTLE_WINDOW_MS);
  }

  private arm(key: Work, id: string, at: number) {
    if (!this.running) return;
    this.tracked.set(id, "waiting");
    clearTimeout(this.timers.get(id));
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        if (this.tracked.get(id) === "waiting") this.tracked.delete(id);
        this.enqueue([this.batches.has(id) ? key : { pk: key.pk, sk: key.sk }]);
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref();
    this.timers.set(id, timer);
  }
}
