import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.js";
import type { EventDraft } from "./history.js";
import type {
  Checkpoint,
  ExecutionRecord,
  HistoryRecord,
  JournalEntry,
  JournalState,
  Store,
  TaskRecord,
} from "./store.js";
import { compact, isConditionFailure, mergeFields } from "./store.js";

export class JournalStopped extends Error {
  constructor(reason: string) {
    super(`execution journal stopped: ${reason}`);
    this.name = "JournalStopped";
  }
  get isRetryable() {
    return false;
  }
  get isCatchable() {
    return false;
  }
}

type Op =
  | { index: number; kind: "event"; event: HistoryRecord }
  | { index: number; kind: "task"; key: string; fields: Partial<TaskRecord>; inline: boolean }
  | { index: number; kind: "checkpoint"; checkpoint: Checkpoint }
  | { index: number; kind: "close"; fields: Partial<ExecutionRecord> };

// A transaction holds at most 100 items (an entry, the execution row, the running marker and
// the shared task records); an item at most 400 KB, and one event can hold 256 KiB of data.
const MAX_OPS_PER_WRITE = 90;
const ENTRY_BUDGET_BYTES = 120_000;
const WRITE_ATTEMPTS = 4;
/**
 * How long progress nobody waits for may stay in memory before it is written: group commit.
 * A short state (a Pass, a Choice, a quick task) then shares an entry with the ones after it
 * instead of costing a write each; what a kill loses in that time is re-run from the last
 * checkpoint, as before. A flush or a close writes at once.
 */
const LINGER_MS = 25;
/** Closing events up to this size go into the execution row (which holds input and output too). */
const CLOSING_IN_ROW_BYTES = 32_000;
/**
 * A larger output gets an item of its own: the row also holds the input (up to 256 KiB) and
 * the closing events, and an item may not pass 400 KB.
 */
const OUTPUT_IN_ROW_BYTES = 100_000;

/**
 * The ordered, durable log of one execution: history events, checkpoint moves, task records
 * and the final close, written in append order. Appends are synchronous (they happen inside
 * interpreter callbacks); writes are batched behind one in-flight write, and `flush()` is the
 * barrier a side effect waits on so that nothing happens outside before the state that causes
 * it is on disk.
 *
 * Each write is one journal entry item (events, checkpoint, inline task records), put only if
 * its number is free: a single conditional Put, which DynamoDB serves far faster than a
 * transaction. Only a write that closes the execution or changes a task record that others
 * touch too (callback tokens, Wait due times, both read by key) is a transaction.
 */
export class Journal {
  private nextEventId: number;
  private readonly checkpointState: Checkpoint;
  private writtenCheckpoint: Checkpoint;
  private rev: number;
  private readonly writer = randomUUID();
  /** Inline task records of the current state entry: written by this journal, read back here. */
  private readonly inlineTasks: Map<string, TaskRecord>;
  private readonly pending: Op[] = [];
  private appended = 0;
  private written = 0;
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private linger: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<{ mark: number; resolve: () => void; reject: (error: Error) => void }> = [];
  private stoppedReason: string | undefined;
  private closing = false;

  constructor(
    private readonly store: Store,
    private readonly arn: string,
    start: JournalState,
    private readonly now: () => number,
    private readonly logger: Logger,
    private readonly hooks: {
      onClosed(fields: Partial<ExecutionRecord>): void;
      onLost(reason: string): void;
    },
  ) {
    const { checkpoint } = start;
    this.nextEventId = checkpoint.nextEventId;
    this.checkpointState = { ...checkpoint, retries: [...(checkpoint.retries ?? [])] };
    this.writtenCheckpoint = { ...this.checkpointState };
    this.rev = start.rev;
    this.inlineTasks = new Map(start.tasks);
  }

  /** The id the next appended event gets. */
  get nextId() {
    return this.nextEventId;
  }

  get checkpoint(): Readonly<Checkpoint> {
    return this.checkpointState;
  }

  /** Closed or closing: no more events belong to this execution. */
  get ended() {
    return this.closing || this.stoppedReason !== undefined;
  }

  append(draft: EventDraft, timestamp = this.now()): void {
    if (this.ended) return;
    const event: HistoryRecord = { id: this.nextEventId++, type: draft.type, timestamp };
    if (draft.detailsKey && draft.details) {
      event.detailsKey = draft.detailsKey;
      event.details = Object.fromEntries(
        Object.entries(draft.details).filter(([, value]) => value !== undefined),
      );
    }
    this.push({ index: 0, kind: "event", event });
  }

  moveCheckpoint(change: Partial<Checkpoint>): void {
    if (this.ended) return;
    // A new state entry: the task records of the one before are never read again.
    if (change.seq !== undefined && change.seq !== this.checkpointState.seq) this.inlineTasks.clear();
    Object.assign(this.checkpointState, change);
    this.push({
      index: 0,
      kind: "checkpoint",
      checkpoint: { ...this.checkpointState, retries: [...this.checkpointState.retries] },
    });
  }

  /**
   * Saves task record fields. An inline record (a task only this execution touches) lives in
   * the journal entries; any other is its own item, read by key by SendTask* and by the tests
   * of durable deadlines.
   */
  saveTask(key: string, fields: Partial<TaskRecord>, inline: boolean): void {
    if (this.ended) return;
    if (inline) this.inlineTasks.set(key, mergeFields(this.inlineTasks.get(key), { ...fields, key }));
    const waiting = this.pending.find((op) => op.kind === "task" && op.key === key);
    if (waiting?.kind === "task") {
      Object.assign(waiting.fields, fields);
      return;
    }
    this.push({ index: 0, kind: "task", key, fields: { ...fields }, inline });
  }

  /** An inline task record as written so far (restored from the entries after a restart). */
  inlineTask(key: string): TaskRecord | undefined {
    const record = this.inlineTasks.get(key);
    return record ? { ...record } : undefined;
  }

  /** Appends the final event and closes the execution; false if it was already ending. */
  close(fields: Partial<ExecutionRecord>, draft: EventDraft): boolean {
    if (this.ended) return false;
    this.append(draft, fields.stopDate);
    this.closing = true;
    this.push({ index: 0, kind: "close", fields });
    return true;
  }

  /** Resolves once everything appended so far is durable; rejects if the journal stopped. */
  flush(): Promise<void> {
    if (this.stoppedReason !== undefined) return Promise.reject(new JournalStopped(this.stoppedReason));
    if (this.written >= this.appended) return Promise.resolve();
    const written = new Promise<void>((resolve, reject) =>
      this.waiters.push({ mark: this.appended, resolve, reject }),
    );
    this.schedule();
    return written;
  }

  /** Drops everything not yet written, as a kill would; later appends are ignored. */
  stop(reason: string): void {
    if (this.stoppedReason !== undefined) return;
    this.stoppedReason = reason;
    clearTimeout(this.linger);
    this.linger = undefined;
    this.pending.length = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(new JournalStopped(reason));
  }

  /** Waits for the transaction in flight, if any (it cannot be recalled). */
  async settled(): Promise<void> {
    await this.writing?.catch(() => {});
  }

  private push(op: Op) {
    op.index = ++this.appended;
    this.pending.push(op);
    this.schedule();
  }

  // Batching: everything the interpreter dispatches in one burst of microtasks goes into the
  // same write, and whatever arrives while one is in flight goes into the next; with nobody
  // waiting, the write lingers first (see LINGER_MS).
  private schedule() {
    if (this.writing || this.stoppedReason !== undefined || !this.pending.length) return;
    const urgent = this.closing || this.waiters.length > 0;
    if (!urgent) {
      if (!this.scheduled && !this.linger) this.linger = setTimeout(() => this.startWrite(), LINGER_MS);
      return;
    }
    clearTimeout(this.linger);
    this.linger = undefined;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.startWrite());
  }

  private startWrite() {
    this.scheduled = false;
    clearTimeout(this.linger);
    this.linger = undefined;
    if (this.writing || this.stoppedReason !== undefined) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      this.schedule();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length && this.stoppedReason === undefined) {
      const batch = this.pending.splice(0, this.nextBatchLength());
      const last = batch[batch.length - 1];
      if (!last) return;
      try {
        await this.write(batch);
      } catch (error) {
        if (isConditionFailure(error)) {
          this.logger.warn("execution closed elsewhere; its local run stops", { executionArn: this.arn });
          this.stop("the execution is no longer running");
          this.hooks.onLost("closed elsewhere");
        } else if ((error as Error)?.name !== "StoreStopped") {
          this.logger.error("could not persist execution progress", {
            executionArn: this.arn,
            error: String(error),
          });
          this.stop(`persisting failed: ${String(error)}`);
          this.hooks.onLost("store failure");
        } else {
          this.stop("store stopped");
        }
        return;
      }
      this.written = last.index;
      const ready = this.waiters.filter((waiter) => waiter.mark <= this.written);
      this.waiters = this.waiters.filter((waiter) => waiter.mark > this.written);
      for (const waiter of ready) waiter.resolve();
      const close = batch.find((op) => op.kind === "close");
      if (close?.kind === "close") this.hooks.onClosed(close.fields);
    }
  }

  /**
   * How many pending ops the next entry takes: up to the op and byte budgets, at least one,
   * and never a checkpoint move without the state entry event that follows it (the entry
   * holds the checkpoint's input only by that event's id).
   */
  private nextBatchLength(): number {
    let bytes = 0;
    let length = 0;
    for (const op of this.pending) {
      const size = op.kind === "event" ? Buffer.byteLength(JSON.stringify(op.event)) : 200;
      const previous = this.pending[length - 1];
      const joinsCheckpoint = previous?.kind === "checkpoint";
      if (
        length > 0 &&
        !joinsCheckpoint &&
        (length >= MAX_OPS_PER_WRITE || bytes + size > ENTRY_BUDGET_BYTES)
      )
        break;
      bytes += size;
      length++;
    }
    return Math.max(1, length);
  }

  private async write(batch: Op[]): Promise<void> {
    const events: HistoryRecord[] = [];
    let checkpoint = this.writtenCheckpoint;
    let close: Partial<ExecutionRecord> | undefined;
    const inline: Record<string, Partial<TaskRecord>> = {};
    const shared = new Map<string, Partial<TaskRecord>>();
    for (const op of batch) {
      if (op.kind === "event") events.push(op.event);
      else if (op.kind === "task" && op.inline) inline[op.key] = compact({ ...inline[op.key], ...op.fields });
      else if (op.kind === "task") shared.set(op.key, { ...shared.get(op.key), ...op.fields });
      else if (op.kind === "checkpoint") checkpoint = op.checkpoint;
      else close = op.fields;
    }
    const lastEvent = events.at(-1);
    const nextEventId = lastEvent ? lastEvent.id + 1 : checkpoint.nextEventId;
    const { input: _input, ...stored } = { ...checkpoint, nextEventId };
    const entry: JournalEntry = {
      rev: this.rev + 1,
      writer: this.writer,
      events,
      checkpoint: compact(stored),
      ...(Object.keys(inline).length ? { tasks: inline } : {}),
    };
    const outputAlone = close?.output !== undefined && Buffer.byteLength(close.output) > OUTPUT_IN_ROW_BYTES;
    if (
      close &&
      !outputAlone &&
      !shared.size &&
      Buffer.byteLength(JSON.stringify(events)) <= CLOSING_IN_ROW_BYTES
    ) {
      // The usual close: the last events go into the row with its final fields, one update.
      const closing = { rev: entry.rev, writer: this.writer, events };
      await this.retrying(
        () => this.store.closeRow(this.arn, { ...close, closing }),
        async () => (await this.store.getExecution(this.arn))?.closing?.writer === this.writer,
      );
    } else {
      const items = [
        this.store.entryPut(this.arn, entry),
        ...[...shared].map(([key, fields]) => this.store.taskUpsert(this.arn, key, fields)),
      ];
      let rowClose = close;
      if (close?.output !== undefined && outputAlone) {
        const { output, ...rest } = close;
        items.push(this.store.outputPut(this.arn, output));
        rowClose = { ...rest, outputInItem: true };
      }
      await this.retrying(
        () =>
          rowClose
            ? this.store.closeWithEntry(this.arn, rowClose, items)
            : items.length > 1
              ? this.store.transact(items)
              : this.store.putEntry(this.arn, entry),
        // An attempt whose answer was lost may have landed: its entry is then ours.
        () => this.isOurs(entry.rev),
      );
    }
    this.rev = entry.rev;
    this.writtenCheckpoint = { ...checkpoint, nextEventId };
  }

  private async retrying(send: () => Promise<unknown>, landed?: () => Promise<boolean>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await send();
        return;
      } catch (error) {
        if (attempt > 1 && isConditionFailure(error) && (await landed?.())) return;
        const retriable = !isConditionFailure(error) && (error as Error)?.name !== "StoreStopped";
        if (!retriable || attempt >= WRITE_ATTEMPTS || this.stoppedReason !== undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  private async isOurs(rev: number): Promise<boolean> {
    const entry = await this.store.getEntry(this.arn, rev).catch(() => undefined);
    return entry?.writer === this.writer;
  }
}
