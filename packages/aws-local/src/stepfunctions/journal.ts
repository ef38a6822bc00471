import type { Logger } from "../logger.js";
import type { EventDraft } from "./history.js";
import type { Checkpoint, ExecutionRecord, HistoryRecord, Store, TaskRecord, TransactItem } from "./store.js";
import { isConditionFailure, keys, setExpression } from "./store.js";

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
  | { index: number; kind: "task"; key: string; fields: Partial<TaskRecord> }
  | { index: number; kind: "checkpoint"; checkpoint: Checkpoint }
  | { index: number; kind: "close"; fields: Partial<ExecutionRecord> };

// A transaction holds at most 100 items; two are kept for the execution row and checkpoint.
const MAX_OPS_PER_WRITE = 90;
const WRITE_ATTEMPTS = 4;

/**
 * The ordered, durable log of one execution: history events, checkpoint moves, task records
 * and the final close, written in append order as DynamoDB transactions. Appends are
 * synchronous (they happen inside interpreter callbacks); writes are batched behind one
 * in-flight transaction, and `flush()` is the barrier a side effect waits on so that nothing
 * happens outside before the state that causes it is on disk.
 */
export class Journal {
  private nextEventId: number;
  private readonly checkpointState: Checkpoint;
  private readonly pending: Op[] = [];
  private appended = 0;
  private written = 0;
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private waiters: Array<{ mark: number; resolve: () => void; reject: (error: Error) => void }> = [];
  private stoppedReason: string | undefined;
  private closing = false;

  constructor(
    private readonly store: Store,
    private readonly arn: string,
    checkpoint: Checkpoint,
    private readonly now: () => number,
    private readonly logger: Logger,
    private readonly hooks: {
      onClosed(fields: Partial<ExecutionRecord>): void;
      onLost(reason: string): void;
    },
  ) {
    this.nextEventId = checkpoint.nextEventId;
    this.checkpointState = { ...checkpoint, retries: [...(checkpoint.retries ?? [])] };
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
    Object.assign(this.checkpointState, change);
    this.push({
      index: 0,
      kind: "checkpoint",
      checkpoint: { ...this.checkpointState, retries: [...this.checkpointState.retries] },
    });
  }

  saveTask(key: string, fields: Partial<TaskRecord>): void {
    if (this.ended) return;
    const waiting = this.pending.find((op) => op.kind === "task" && op.key === key);
    if (waiting?.kind === "task") {
      Object.assign(waiting.fields, fields);
      return;
    }
    this.push({ index: 0, kind: "task", key, fields: { ...fields } });
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
    return new Promise((resolve, reject) => this.waiters.push({ mark: this.appended, resolve, reject }));
  }

  /** Drops everything not yet written, as a kill would; later appends are ignored. */
  stop(reason: string): void {
    if (this.stoppedReason !== undefined) return;
    this.stoppedReason = reason;
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
  // same transaction, and whatever arrives while one is in flight goes into the next.
  private schedule() {
    if (this.scheduled || this.writing || this.stoppedReason !== undefined) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.writing) return;
      this.writing = this.drain().finally(() => {
        this.writing = undefined;
        if (this.pending.length) this.schedule();
      });
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length && this.stoppedReason === undefined) {
      const batch = this.pending.splice(0, MAX_OPS_PER_WRITE);
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

  private async write(batch: Op[]): Promise<void> {
    const items: TransactItem[] = [];
    const tableName = this.store.tableName;
    let checkpoint: Checkpoint | undefined;
    let lastEventId: number | undefined;
    let close: Partial<ExecutionRecord> | undefined;
    const tasks = new Map<string, Partial<TaskRecord>>();
    for (const op of batch) {
      if (op.kind === "event") {
        items.push({ Put: { TableName: tableName, Item: this.store.eventItem(this.arn, op.event) } });
        lastEventId = op.event.id;
      } else if (op.kind === "task") {
        tasks.set(op.key, { ...tasks.get(op.key), ...op.fields });
      } else if (op.kind === "checkpoint") {
        checkpoint = op.checkpoint;
      } else {
        close = op.fields;
      }
    }
    for (const [key, fields] of tasks) items.push(this.store.taskUpsert(this.arn, key, fields));
    const progress = setExpression(
      {
        ...(checkpoint ?? {}),
        ...(lastEventId !== undefined ? { nextEventId: lastEventId + 1 } : {}),
        updatedAt: this.now(),
      },
      "p",
    );
    items.push({
      Update: {
        TableName: tableName,
        Key: keys.checkpoint(this.arn),
        UpdateExpression: `SET ${progress.expression}`,
        ExpressionAttributeNames: progress.names,
        ExpressionAttributeValues: progress.values,
      },
    });
    if (close) items.push(...this.store.closeItems(this.arn, close));
    else items.push(this.store.runningCheck(this.arn));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.transact(items);
        return;
      } catch (error) {
        const retriable = !isConditionFailure(error) && (error as Error)?.name !== "StoreStopped";
        if (!retriable || attempt >= WRITE_ATTEMPTS || this.stoppedReason !== undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }
}
