import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface MachineRecord {
  name: string;
  arn: string;
  definitionHash: string;
  roleArn: string;
  creationDate: number;
  updateDate?: number;
}

export interface ExecutionRecord {
  arn: string;
  machineArn: string;
  machineName: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  startDate: number;
  stopDate?: number;
  output?: string;
  /** The output is in an item of its own (outputPut): with the input, it would not fit the row. */
  outputInItem?: boolean;
  error?: string;
  cause?: string;
  definitionHash: string;
  roleArn: string;
  /** Absolute deadline of the definition's top-level TimeoutSeconds. */
  timeoutAt?: number;
  /** The last history events, written with the close (see Journal): the journal's entry `rev`. */
  closing?: { rev: number; writer: string; events: HistoryRecord[] };
}

/** Where a restarted execution continues: the last top-level state entered, with its input. */
export interface Checkpoint {
  nextEventId: number;
  state?: string;
  input?: string;
  /** Ordinal of that state entry in the execution; task records are keyed by it. */
  seq: number;
  attempt: number;
  retries: number[];
  /** The state already exited (its exit is in the history), only the next entry was lost. */
  exited: boolean;
  /** When that state was entered (epoch ms): its `$$.State.EnteredTime` after a restart. */
  enteredAt?: number;
  /**
   * The history event of that entry, which holds the input: a journal entry stores the
   * checkpoint without it (an input and its event of 256 KiB each would not fit one item).
   */
  enteredEventId?: number;
}

export type TaskStatus = "WAITING" | "STARTED" | "PENDING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT";

export interface TaskRecord {
  key: string;
  status: TaskStatus;
  token?: string;
  output?: string;
  error?: string;
  cause?: string;
  dueAt?: number;
  timeoutAt?: number;
  heartbeatSeconds?: number;
  heartbeatAt?: number;
  lastHeartbeat?: number;
  sideEffectDone?: boolean;
  /** The outcome is in the history already (TaskSucceeded/Failed/TimedOut written). */
  consumed?: boolean;
}

export interface HistoryRecord {
  id: number;
  type: string;
  timestamp: number;
  detailsKey?: string;
  details?: Record<string, unknown>;
}

/**
 * One write of an execution's journal, as one item: the history events it appended, the
 * checkpoint after it, and the changes of the task records that only this execution touches.
 * Entries are numbered; a writer puts entry n+1 only if it does not exist, so two writers of
 * one execution (a process that lost it, a StopExecution elsewhere) cannot both continue.
 */
export interface JournalEntry {
  rev: number;
  /** Who wrote it: a retried write whose first attempt landed finds its own entry. */
  writer: string;
  events: HistoryRecord[];
  checkpoint: Checkpoint;
  tasks?: Record<string, Partial<TaskRecord>>;
}

/** An execution's journal as a restart needs it: the last entry and the task records it holds. */
export interface JournalState {
  rev: number;
  checkpoint: Checkpoint;
  tasks: Map<string, TaskRecord>;
}

/** Where a new execution's journal starts: ExecutionStarted (id 1) is its row's, not an entry's. */
export const initialJournal = (): JournalState => ({
  rev: 0,
  checkpoint: { nextEventId: 2, seq: 0, attempt: 0, retries: [], exited: false },
  tasks: new Map(),
});

/** Where a page of history continues: after this event, which is in this entry. */
export type HistoryPosition = { rev: number; id: number };

export interface Page<T> {
  items: T[];
  nextKey?: Record<string, unknown>;
}

export const keys = {
  machine: (name: string) => ({ pk: `SFN#SM#${name}`, sk: "META" }),
  machinesIndex: "SFN#SM",
  definition: (hash: string) => ({ pk: `SFN#DEF#${hash}`, sk: "META" }),
  execution: (arn: string) => ({ pk: `SFN#EX#${arn}`, sk: "META" }),
  executionsIndex: (machineArn: string) => `SFN#EXS#${machineArn}`,
  entry: (arn: string, rev: number) => ({ pk: `SFN#EX#${arn}`, sk: `J#${String(rev).padStart(9, "0")}` }),
  entriesFrom: "J#",
  entriesTo: "J#~",
  task: (arn: string, key: string) => ({ pk: `SFN#EX#${arn}`, sk: `TASK#${key}` }),
  output: (arn: string) => ({ pk: `SFN#EX#${arn}`, sk: "OUTPUT" }),
  running: (arn: string) => ({ pk: "SFN#RUNNING", sk: arn }),
};

export class StoreStopped extends Error {
  constructor() {
    super("the Step Functions store is stopped");
    this.name = "StoreStopped";
  }
}

export const isConditionFailure = (error: unknown) => {
  const name = (error as { name?: string })?.name;
  return name === "ConditionalCheckFailedException" || name === "TransactionCanceledException";
};

type Item = Record<string, unknown>;
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export const compact = <T extends object>(item: T): T =>
  Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as T;

/** Field changes applied in order; an undefined field leaves the value as it was. */
export const mergeFields = <T extends object>(base: T | undefined, change: Partial<T>): T =>
  ({ ...base, ...compact(change) }) as T;

const ENTRIES_PER_QUERY = 50;
/** How long a machine read stays good here: another process's update shows within this. */
const MACHINE_CACHE_MS = 2_000;
const MARKERS_PER_BATCH = 25;

interface MarkerWrite {
  arn: string;
  put: boolean;
  resolve?: () => void;
  reject?: (error: Error) => void;
}

const strip = <T>(item: Item, drop: string[]): T => {
  const copy: Item = { ...item };
  for (const key of ["pk", "sk", "gsi1pk", "gsi1sk", ...drop]) delete copy[key];
  return copy as unknown as T;
};

/** Set-expression parts for an update of plain attributes (undefined ones are skipped). */
export const setExpression = (fields: Item, prefix = "f") => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts: string[] = [];
  Object.entries(fields).forEach(([name, value], index) => {
    if (value === undefined) return;
    names[`#${prefix}${index}`] = name;
    values[`:${prefix}${index}`] = value;
    parts.push(`#${prefix}${index} = :${prefix}${index}`);
  });
  return { expression: parts.join(", "), names, values };
};

/**
 * The Step Functions emulator's items in the runtime table. Every call is tracked so that
 * `close()` can wait for the ones in flight and refuse any later one: after a stop nothing of
 * this instance may write any more, as after a kill.
 */
export class Store {
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;
  private readonly machines = new Map<string, { record: MachineRecord; until: number }>();
  private readonly markerWrites: MarkerWrite[] = [];
  private markersBusy = false;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  get stopped() {
    return this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inflight]);
  }

  private track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreStopped());
    const promise = operation();
    this.inflight.add(promise);
    promise.then(
      () => this.inflight.delete(promise),
      () => this.inflight.delete(promise),
    );
    return promise;
  }

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const result = await this.track(() =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return result.Item;
  }

  transact(items: TransactItem[]): Promise<unknown> {
    return this.track(() => this.doc.send(new TransactWriteCommand({ TransactItems: items })));
  }

  private async query(input: Omit<QueryCommandInput, "TableName">): Promise<Page<Item>> {
    const result = await this.track(() =>
      this.doc.send(new QueryCommand({ TableName: this.tableName, ...input })),
    );
    return { items: result.Items ?? [], nextKey: result.LastEvaluatedKey };
  }

  // --- state machines -------------------------------------------------------------------

  async getMachine(name: string): Promise<MachineRecord | undefined> {
    const item = await this.get(keys.machine(name));
    return item ? strip<MachineRecord>(item, []) : undefined;
  }

  /**
   * The machine an execution starts on, read at most every MACHINE_CACHE_MS (each
   * StartExecution would read it otherwise); this process's own changes show at once.
   */
  async machineToStart(name: string): Promise<MachineRecord | undefined> {
    const cached = this.machines.get(name);
    if (cached && cached.until > performance.now()) return cached.record;
    const record = await this.getMachine(name);
    if (record) this.machines.set(name, { record, until: performance.now() + MACHINE_CACHE_MS });
    else this.machines.delete(name);
    return record;
  }

  async putMachine(machine: MachineRecord, definition: string, mode: "create" | "replace"): Promise<void> {
    this.machines.delete(machine.name);
    await this.track(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.definition(machine.definitionHash), definition },
        }),
      ),
    );
    await this.track(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.machine(machine.name),
            gsi1pk: keys.machinesIndex,
            gsi1sk: machine.name,
            ...compact({ ...machine }),
          },
          ConditionExpression: mode === "create" ? "attribute_not_exists(pk)" : undefined,
        }),
      ),
    );
  }

  async deleteMachine(name: string): Promise<void> {
    this.machines.delete(name);
    await this.track(() =>
      this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.machine(name) })),
    );
  }

  async listMachines(limit: number, startKey?: Record<string, unknown>): Promise<Page<MachineRecord>> {
    const page = await this.query({
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.machinesIndex },
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    return { items: page.items.map((item) => strip<MachineRecord>(item, [])), nextKey: page.nextKey };
  }

  async getDefinition(hash: string): Promise<string | undefined> {
    const item = await this.get(keys.definition(hash));
    return typeof item?.definition === "string" ? item.definition : undefined;
  }

  // --- executions -----------------------------------------------------------------------

  /**
   * Creates the execution; false if the name is taken. Two writes, not a transaction (which
   * costs DynamoDB Local several times more): the running marker first (batched with other
   * executions' markers), so that no execution is ever RUNNING without one; a marker without
   * its execution is dropped at resume.
   */
  async createExecution(execution: ExecutionRecord): Promise<boolean> {
    await this.markRunning(execution.arn);
    try {
      await this.track(() =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.execution(execution.arn),
              gsi1pk: keys.executionsIndex(execution.machineArn),
              gsi1sk: `${String(execution.startDate).padStart(15, "0")}#${execution.name}`,
              ...compact({ ...execution }),
            },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The marker belongs to the execution of that name while it runs, never after.
      const existing = await this.getExecution(execution.arn);
      if (existing && existing.status !== "RUNNING") await this.forgetRunning(execution.arn);
      return false;
    }
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const item = await this.get(keys.execution(arn));
    if (!item) return undefined;
    const record = strip<ExecutionRecord>(item, []);
    if (record.outputInItem) {
      const output = await this.get(keys.output(arn));
      if (typeof output?.output === "string") record.output = output.output;
    }
    return record;
  }

  /** The execution's journal, read whole: a restart needs its inline task records. */
  async loadJournal(arn: string): Promise<JournalState | undefined> {
    let last: JournalEntry | undefined;
    let input: string | undefined;
    const tasks = new Map<string, TaskRecord>();
    let nextKey: Record<string, unknown> | undefined;
    do {
      const page = await this.query({
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :j)",
        ExpressionAttributeValues: { ":pk": keys.execution(arn).pk, ":j": keys.entriesFrom },
        ExclusiveStartKey: nextKey,
        ConsistentRead: true,
      });
      for (const item of page.items) {
        last = strip<JournalEntry>(item, []);
        for (const [key, fields] of Object.entries(last.tasks ?? {}))
          tasks.set(key, mergeFields(tasks.get(key), { ...fields, key }));
        const entered = last.events.find((event) => event.id === last?.checkpoint.enteredEventId);
        if (entered) input = entered.details?.input as string | undefined;
      }
      nextKey = page.nextKey;
    } while (nextKey);
    if (!last) return undefined;
    return { rev: last.rev, checkpoint: { ...last.checkpoint, input }, tasks };
  }

  async latestEntry(arn: string): Promise<JournalEntry | undefined> {
    const page = await this.query({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :j)",
      ExpressionAttributeValues: { ":pk": keys.execution(arn).pk, ":j": keys.entriesFrom },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
    const item = page.items[0];
    return item ? strip<JournalEntry>(item, []) : undefined;
  }

  async getEntry(arn: string, rev: number): Promise<JournalEntry | undefined> {
    const item = await this.get(keys.entry(arn, rev));
    return item ? strip<JournalEntry>(item, []) : undefined;
  }

  /** A closing execution's output as an item of its own, written with the close. */
  outputPut(arn: string, output: string): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.output(arn), output },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  entryPut(arn: string, entry: JournalEntry): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.entry(arn, entry.rev), ...entry },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  /** One entry alone: a conditional Put costs far less than a transaction. */
  async putEntry(arn: string, entry: JournalEntry): Promise<void> {
    const put = this.entryPut(arn, entry).Put;
    if (!put) return;
    await this.track(() => this.doc.send(new PutCommand(put)));
  }

  async listExecutions(
    machineArn: string,
    status: string | undefined,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<Page<ExecutionRecord>> {
    const items: ExecutionRecord[] = [];
    let nextKey = startKey;
    // A filter applies after Limit, so pages are pulled until enough items passed it; the
    // last evaluated key then marks exactly where the next page starts.
    do {
      const page = await this.query({
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        FilterExpression: status ? "#status = :status" : undefined,
        ExpressionAttributeNames: status ? { "#status": "status" } : undefined,
        ExpressionAttributeValues: {
          ":pk": keys.executionsIndex(machineArn),
          ...(status ? { ":status": status } : {}),
        },
        ScanIndexForward: false,
        Limit: limit - items.length,
        ExclusiveStartKey: nextKey,
      });
      items.push(...page.items.map((item) => strip<ExecutionRecord>(item, [])));
      nextKey = page.nextKey;
    } while (nextKey && items.length < limit);
    return { items, nextKey };
  }

  async listRunning(): Promise<string[]> {
    const arns: string[] = [];
    let nextKey: Record<string, unknown> | undefined;
    do {
      const page = await this.query({
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.running("").pk },
        ExclusiveStartKey: nextKey,
      });
      arns.push(...page.items.map((item) => String(item.sk)));
      nextKey = page.nextKey;
    } while (nextKey);
    return arns;
  }

  async forgetRunning(arn: string): Promise<void> {
    await this.track(() =>
      this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.running(arn) })),
    );
  }

  /** The update that closes a RUNNING execution's row (the condition makes a second close fail). */
  closeUpdate(arn: string, fields: Partial<ExecutionRecord>) {
    const set = setExpression(fields, "c");
    return {
      TableName: this.tableName,
      Key: keys.execution(arn),
      UpdateExpression: `SET ${set.expression}`,
      ConditionExpression: "#status = :running",
      ExpressionAttributeNames: { ...set.names, "#status": "status" },
      ExpressionAttributeValues: { ...set.values, ":running": "RUNNING" },
    };
  }

  /** Closes the row alone: one UpdateItem, the cheapest close there is. */
  async closeRow(arn: string, fields: Partial<ExecutionRecord>): Promise<void> {
    await this.track(() => this.doc.send(new UpdateCommand(this.closeUpdate(arn, fields))));
    this.forgetRunningSoon(arn);
  }

  /** Closes the row with a journal entry, both or neither. */
  async closeWithEntry(arn: string, fields: Partial<ExecutionRecord>, items: TransactItem[]): Promise<void> {
    await this.transact([...items, { Update: this.closeUpdate(arn, fields) }]);
    this.forgetRunningSoon(arn);
  }

  /** Writes a running marker in the next batch of marker writes; resolves once it is durable. */
  markRunning(arn: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.markerWrites.push({ arn, put: true, resolve, reject });
      this.writeMarkersSoon();
    });
  }

  /**
   * Drops a closed execution's running marker in a later batch, not waited for: a marker left
   * behind (a kill, a stop first) only makes resume look at a closed row once and drop it then.
   */
  forgetRunningSoon(arn: string): void {
    this.markerWrites.push({ arn, put: false });
    this.writeMarkersSoon();
  }

  // Markers of executions starting and closing together share one BatchWriteItem.
  private writeMarkersSoon() {
    if (this.markersBusy) return;
    this.markersBusy = true;
    setImmediate(() => {
      void this.writeMarkers().finally(() => {
        this.markersBusy = false;
        if (this.markerWrites.length) this.writeMarkersSoon();
      });
    });
  }

  private async writeMarkers(): Promise<void> {
    while (this.markerWrites.length) {
      // A batch may not name a key twice: a later write of the same marker waits for the next.
      const batch: MarkerWrite[] = [];
      const later: MarkerWrite[] = [];
      const arns = new Set<string>();
      for (const write of this.markerWrites.splice(0)) {
        if (batch.length < MARKERS_PER_BATCH && !arns.has(write.arn)) {
          arns.add(write.arn);
          batch.push(write);
        } else later.push(write);
      }
      this.markerWrites.unshift(...later);
      try {
        const result = await this.track(() =>
          this.doc.send(
            new BatchWriteCommand({
              RequestItems: {
                [this.tableName]: batch.map((write) =>
                  write.put
                    ? { PutRequest: { Item: keys.running(write.arn) } }
                    : { DeleteRequest: { Key: keys.running(write.arn) } },
                ),
              },
            }),
          ),
        );
        const unprocessed = new Set(
          (result.UnprocessedItems?.[this.tableName] ?? []).map(
            (request) => (request.PutRequest?.Item ?? request.DeleteRequest?.Key)?.sk,
          ),
        );
        for (const write of batch) {
          if (unprocessed.has(write.arn)) this.markerWrites.push(write);
          else write.resolve?.();
        }
        if (unprocessed.size) await new Promise((resolve) => setTimeout(resolve, 100));
      } catch (error) {
        for (const write of batch) write.reject?.(error as Error);
      }
    }
  }

  runningCheck(arn: string): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: keys.execution(arn),
        ConditionExpression: "#status = :running",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":running": "RUNNING" },
      },
    };
  }

  /**
   * A page of history events in order (or reversed), `limit` of them at most, read from the
   * journal entries that hold them; `nextKey` only when more events follow.
   */
  async history(
    arn: string,
    row: { started: HistoryRecord; closing?: ExecutionRecord["closing"] },
    options: { reverse: boolean; limit: number; after?: HistoryPosition },
  ): Promise<{ items: HistoryRecord[]; nextKey?: HistoryPosition }> {
    const { reverse, limit, after } = options;
    const bound = after && after.rev > 0 ? keys.entry(arn, after.rev).sk : undefined;
    const found: Array<{ rev: number; event: HistoryRecord }> = [];
    const take = (rev: number, events: HistoryRecord[]) => {
      for (const event of reverse ? [...events].reverse() : events) {
        if (after && (reverse ? event.id >= after.id : event.id <= after.id)) continue;
        found.push({ rev, event });
      }
    };
    // ExecutionStarted and the closing events are the row's: as if entry 0 and the entry
    // after the last held them.
    const { started, closing } = row;
    if (!reverse) take(0, [started]);
    else if (closing) take(closing.rev, closing.events);
    let nextKey: Record<string, unknown> | undefined;
    do {
      const page = await this.query({
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
        ExpressionAttributeValues: {
          ":pk": keys.execution(arn).pk,
          ":from": !reverse && bound ? bound : keys.entriesFrom,
          ":to": reverse && bound ? bound : keys.entriesTo,
        },
        ScanIndexForward: !reverse,
        Limit: ENTRIES_PER_QUERY,
        ExclusiveStartKey: nextKey,
        ConsistentRead: true,
      });
      for (const item of page.items) {
        const entry = strip<JournalEntry>(item, []);
        take(entry.rev, entry.events);
      }
      nextKey = page.nextKey;
    } while (nextKey && found.length <= limit);
    if (reverse && !nextKey) take(0, [started]);
    if (!reverse && !nextKey && closing) take(closing.rev, closing.events);
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(({ event }) => event),
      nextKey: found.length > limit && last ? { rev: last.rev, id: last.event.id } : undefined,
    };
  }

  // --- task records ---------------------------------------------------------------------

  async getTask(arn: string, key: string): Promise<TaskRecord | undefined> {
    const item = await this.get(keys.task(arn, key));
    return item ? strip<TaskRecord>(item, []) : undefined;
  }

  taskUpsert(arn: string, key: string, fields: Partial<TaskRecord>): TransactItem {
    const set = setExpression({ ...fields, key }, "t");
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.task(arn, key),
        UpdateExpression: `SET ${set.expression}`,
        ExpressionAttributeNames: set.names,
        ExpressionAttributeValues: set.values,
      },
    };
  }

  /**
   * Moves a PENDING task record on, only while its execution runs: the one place where an API
   * call (SendTask*) and the execution's own timers race, so both go through this condition.
   */
  async updatePendingTask(
    arn: string,
    key: string,
    fields: Partial<TaskRecord>,
    extra?: { expression: string; values: Record<string, unknown> },
  ): Promise<boolean> {
    const set = setExpression(fields, "t");
    try {
      await this.transact([
        this.runningCheck(arn),
        {
          Update: {
            TableName: this.tableName,
            Key: keys.task(arn, key),
            UpdateExpression: `SET ${set.expression}`,
            ConditionExpression: `#st = :pending${extra ? ` AND ${extra.expression}` : ""}`,
            ExpressionAttributeNames: { ...set.names, "#st": "status" },
            ExpressionAttributeValues: { ...set.values, ":pending": "PENDING", ...extra?.values },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
