import "../polyfills.js";
import { createHash, randomUUID } from "node:crypto";
import { StateMachine } from "aws-local-stepfunctions";
import { AwsServiceError } from "../edge/errors.js";
import type { LambdaInvoker } from "../lambda/invoker.js";
import type { Logger } from "../logger.js";
import { executionArn, type Place, stateMachineArn, validateName } from "./arns.js";
import { deferred } from "./deferred.js";
import { buildRunnable, type ParsedDefinition, parseDefinition } from "./definition.js";
import * as history from "./history.js";
import type { PutEvents } from "./integrations.js";
import { Journal } from "./journal.js";
import type { LiveExecution, Segment, TaskEnvironment } from "./live.js";
import {
  type Checkpoint,
  compact,
  type ExecutionRecord,
  type ExecutionStatus,
  initialJournal,
  isConditionFailure,
  type JournalState,
  type MachineRecord,
  Store,
} from "./store.js";
import { runTask } from "./tasks.js";
import { MAX_TIMER_MS, Scheduler } from "./timers.js";
import { parseToken, TokenListeners } from "./tokens.js";

// The library does not export its event type by name.
type LibraryEvent = ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

export interface EngineOptions {
  doc: ConstructorParameters<typeof Store>[0];
  tableName: string;
  lambda: LambdaInvoker;
  putEvents: PutEvents;
  logger: Logger;
  region: string;
  accountId: string;
  now: () => number;
  /** Longest single setTimeout (tests shorten it to prove that long waits hop). */
  maxTimerHopMs?: number;
  /** Longest real time a segment blocks in one wait before it is relaunched (see tasks.ts). */
  segmentMaxMs?: number;
}

const DAY_MS = 86_400_000;
const DEFAULT_SEGMENT_MAX_MS = 19 * DAY_MS;
const MAX_RETRY_DELAY_SECONDS = 20 * 86_400;
const MAX_PAYLOAD_BYTES = 256 * 1024;
const STOP_ATTEMPTS = 5;

export const definitionHash = (definition: string) => createHash("sha256").update(definition).digest("hex");

export class Engine {
  readonly store: Store;
  readonly scheduler: Scheduler;
  readonly listeners = new TokenListeners();
  private readonly live = new Map<string, LiveExecution>();
  private readonly parsedByHash = new Map<string, ParsedDefinition>();
  private readonly place: Place;
  private readonly env: TaskEnvironment;
  private readonly taskTimeoutSeconds: number;
  private stopped = false;

  constructor(private readonly options: EngineOptions) {
    this.store = new Store(options.doc, options.tableName);
    this.scheduler = new Scheduler(options.now, options.maxTimerHopMs);
    this.place = { region: options.region, accountId: options.accountId };
    const segmentMaxMs = Math.min(options.segmentMaxMs ?? DEFAULT_SEGMENT_MAX_MS, DEFAULT_SEGMENT_MAX_MS);
    // The interpreter's own Task timer must outlast every segment, and stay within Node's limit.
    this.taskTimeoutSeconds = Math.min(
      Math.ceil((segmentMaxMs * 20) / 19 / 1000) + 1,
      Math.floor(MAX_TIMER_MS / 1000),
    );
    this.env = {
      store: this.store,
      scheduler: this.scheduler,
      listeners: this.listeners,
      lambda: options.lambda,
      putEvents: options.putEvents,
      logger: options.logger,
      region: options.region,
      now: options.now,
      segmentMaxMs,
      relaunch: (live, segment) => this.relaunch(live, segment),
    };
  }

  now(): number {
    return this.options.now();
  }

  get region() {
    return this.place.region;
  }

  get accountId() {
    return this.place.accountId;
  }

  machineArn(name: string) {
    return stateMachineArn(this.place, name);
  }

  parsed(hash: string, text: string, validate: boolean): ParsedDefinition {
    let parsed = this.parsedByHash.get(hash);
    if (!parsed) {
      parsed = parseDefinition(text, { validate });
      this.parsedByHash.set(hash, parsed);
    }
    return parsed;
  }

  /** Definitions are immutable under their hash, so one read per process is enough. */
  private async definitionOf(hash: string): Promise<ParsedDefinition | undefined> {
    const cached = this.parsedByHash.get(hash);
    if (cached) return cached;
    const text = await this.store.getDefinition(hash);
    return text === undefined ? undefined : this.parsed(hash, text, false);
  }

  // --- starting ---------------------------------------------------------------------------

  async startExecution(machine: MachineRecord, name: string | undefined, input: string | undefined) {
    const executionName = name === undefined ? randomUUID() : validateName(name, "execution");
    const inputText = input ?? "{}";
    if (typeof inputText !== "string" || Buffer.byteLength(inputText) > MAX_PAYLOAD_BYTES) {
      throw new AwsServiceError(
        "InvalidExecutionInput",
        "Invalid State Machine Execution Input: the input must be a JSON string of at most 256 KiB",
      );
    }
    try {
      JSON.parse(inputText);
    } catch {
      throw new AwsServiceError(
        "InvalidExecutionInput",
        `Invalid State Machine Execution Input: '${inputText.slice(0, 100)}' is not JSON`,
      );
    }
    const arn = executionArn(this.place, machine.name, executionName);
    const idempotent = (existing: ExecutionRecord) => {
      // AWS (Standard): the same name and input while it runs is the same execution.
      if (existing.status === "RUNNING" && existing.input === inputText) {
        return { executionArn: existing.arn, startDate: existing.startDate };
      }
      throw new AwsServiceError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`);
    };
    const parsed = await this.definitionOf(machine.definitionHash);
    if (!parsed)
      throw new AwsServiceError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${machine.arn}'`);
    const startDate = this.options.now();
    const record: ExecutionRecord = {
      arn,
      machineArn: machine.arn,
      machineName: machine.name,
      name: executionName,
      status: "RUNNING",
      input: inputText,
      startDate,
      definitionHash: machine.definitionHash,
      roleArn: machine.roleArn,
      timeoutAt: parsed.timeoutSeconds !== undefined ? startDate + parsed.timeoutSeconds * 1000 : undefined,
    };
    const created = await this.store.createExecution(record);
    if (!created) {
      const raced = await this.store.getExecution(arn);
      if (raced) return idempotent(raced);
      throw new AwsServiceError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`);
    }
    this.launch(record, parsed, initialJournal());
    this.options.logger.debug("execution started", { executionArn: arn });
    return { executionArn: arn, startDate };
  }

  /** On start-up: every execution still RUNNING in the table continues from its checkpoint. */
  async resume(): Promise<void> {
    const arns = await this.store.listRunning();
    const queue = [...arns];
    const worker = async () => {
      for (let arn = queue.shift(); arn !== undefined; arn = queue.shift()) {
        try {
          await this.resumeOne(arn);
        } catch (error) {
          this.options.logger.error("could not resume execution", {
            executionArn: arn,
            error: String(error),
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
    if (arns.length) this.options.logger.info("resumed executions", { count: arns.length });
  }

  private async resumeOne(arn: string) {
    if (this.live.has(arn) || this.stopped) return;
    const record = await this.store.getExecution(arn);
    if (record?.status !== "RUNNING") {
      await this.store.forgetRunning(arn);
      return;
    }
    const [journal, parsed] = await Promise.all([
      this.store.loadJournal(arn),
      this.definitionOf(record.definitionHash),
    ]);
    if (!parsed) throw new Error("its definition is missing");
    this.launch(record, parsed, journal ?? initialJournal());
  }

  private launch(record: ExecutionRecord, parsed: ParsedDefinition, journal: JournalState) {
    if (this.stopped) return;
    const { promise: done, resolve: markDone } = deferred<void>();
    const live: LiveExecution = {
      record,
      parsed,
      done,
      markDone,
      journal: new Journal(this.store, record.arn, journal, this.options.now, this.options.logger, {
        onClosed: (fields) => this.closed(live, fields),
        onLost: () => this.forget(live),
      }),
    };
    this.live.set(record.arn, live);
    if (record.timeoutAt !== undefined) {
      live.cancelTimeout = this.scheduler.at(record.timeoutAt, () => this.timeOut(live));
    }
    this.startSegment(live);
  }

  private startSegment(live: LiveExecution) {
    if (this.stopped || live.journal.ended) return;
    const checkpoint = live.journal.checkpoint;
    const resumed = checkpoint.state !== undefined;
    const runnable = buildRunnable(live.parsed, {
      startAt: resumed ? checkpoint.state : undefined,
      retriesUsed: resumed ? checkpoint.retries : undefined,
      taskTimeoutSeconds: this.taskTimeoutSeconds,
      maxRetryDelaySeconds: MAX_RETRY_DELAY_SECONDS,
    });
    const segment: Segment = {
      controller: new AbortController(),
      abortRun: () => {},
      firstEntryPending: resumed,
      nestedCounters: new Map(),
      retriers: runnable.retriers,
    };
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const info of live.parsed.states.values()) {
      if (info.task)
        handlers[info.name] = (input) => runTask(this.env, live, segment, info, input) as Promise<never>;
    }
    const machine = new StateMachine(runnable.definition, { validationOptions: { noValidate: true } });
    const input = JSON.parse((resumed ? checkpoint.input : live.record.input) ?? "null");
    const run = machine.run(input, {
      overrides: { taskResourceLocalHandlers: handlers },
      context: this.contextOf(live, resumed ? checkpoint : undefined),
      noThrowOnAbort: true,
    });
    segment.abortRun = run.abort;
    live.segment = segment;
    // Outcomes arrive as ExecutionSucceeded/Failed events; the promise only needs a handler.
    run.result.catch(() => {});
    void this.follow(live, segment, run.eventLogs);
  }

  /**
   * The AWS context object. The (patched) interpreter keeps the Execution given here and sets
   * `$$.State` on each state entry; a resumed start state keeps its entry time and retry count.
   * `$$.Task.Token` is not here: buildRunnable writes it into callback tasks' Parameters.
   */
  private contextOf(live: LiveExecution, resumed: Checkpoint | undefined) {
    const { record } = live;
    return {
      Execution: {
        Id: record.arn,
        Input: JSON.parse(record.input),
        Name: record.name,
        RoleArn: record.roleArn,
        StartTime: new Date(record.startDate).toISOString(),
        RedriveCount: 0,
      },
      StateMachine: { Id: record.machineArn, Name: record.machineName },
      ...(resumed?.state !== undefined && resumed.enteredAt !== undefined
        ? {
            State: {
              EnteredTime: new Date(resumed.enteredAt).toISOString(),
              Name: resumed.state,
              RetryCount: resumed.attempt,
            },
          }
        : {}),
    };
  }

  private interrupt(segment: Segment | undefined) {
    if (!segment || segment.controller.signal.aborted) return;
    segment.controller.abort();
    segment.abortRun();
  }

  private relaunch(live: LiveExecution, segment: Segment) {
    // Several waits of one segment (Parallel branches, Map iterations) can reach their guard
    // together; only the first relaunches.
    if (live.segment !== segment || segment.controller.signal.aborted || this.stopped) return;
    this.interrupt(segment);
    this.options.logger.debug("relaunching a long wait from its checkpoint", {
      executionArn: live.record.arn,
      state: segment.current?.name,
    });
    live.journal.flush().then(
      () => this.startSegment(live),
      () => {},
    );
  }

  // --- following the interpreter ----------------------------------------------------------

  private async follow(live: LiveExecution, segment: Segment, events: AsyncGenerator<LibraryEvent>) {
    try {
      for await (const event of events) {
        if (segment.controller.signal.aborted) break;
        this.record(live, segment, event);
      }
    } catch (error) {
      this.options.logger.error("execution event log failed", {
        executionArn: live.record.arn,
        error: String(error),
      });
    }
  }

  /** One interpreter event into history and checkpoint; synchronous on purpose (see tasks.ts). */
  private record(live: LiveExecution, segment: Segment, event: LibraryEvent) {
    const { journal } = live;
    switch (event.type) {
      case "StateEntered": {
        const { name, input } = event.state;
        const info = live.parsed.states.get(name);
        const type = info?.type ?? event.state.type;
        if (info?.topLevel) {
          if (segment.firstEntryPending) {
            // Re-entering the checkpointed state: it is in the history already.
            segment.firstEntryPending = false;
            const checkpoint = journal.checkpoint;
            segment.current = { name, seq: checkpoint.seq, attempt: checkpoint.attempt, fresh: false };
            if (checkpoint.exited) segment.suppressExitOf = name;
            return;
          }
          const seq = journal.checkpoint.seq + 1;
          segment.current = { name, seq, attempt: 0, fresh: true };
          journal.moveCheckpoint({
            state: name,
            input: history.json(input),
            seq,
            attempt: 0,
            retries: [],
            exited: false,
            enteredAt: event.timestamp,
            enteredEventId: journal.nextId,
          });
        }
        journal.append(history.stateEntered(type, name, input));
        if (type === "Parallel") journal.append(history.plain("ParallelStateStarted"));
        if (type === "Map") journal.append(history.plain("MapStateStarted"));
        return;
      }
      case "StateExited": {
        const { name, output } = event.state;
        const info = live.parsed.states.get(name);
        const type = info?.type ?? event.state.type;
        if (info?.topLevel) {
          const suppress = segment.suppressExitOf === name;
          segment.suppressExitOf = undefined;
          if (suppress) return;
          journal.moveCheckpoint({ exited: true });
        }
        if (type === "Parallel") journal.append(history.plain("ParallelStateSucceeded"));
        if (type === "Map") journal.append(history.plain("MapStateSucceeded"));
        journal.append(history.stateExited(type, name, output));
        return;
      }
      case "StateFailed": {
        const type = live.parsed.states.get(event.state.name)?.type;
        if (type === "Parallel" || type === "Map") journal.append(history.plain(`${type}StateFailed`));
        return;
      }
      case "StateRetried": {
        const { name } = event.state;
        if (!live.parsed.states.get(name)?.topLevel || segment.current?.name !== name) return;
        const retries = [...journal.checkpoint.retries];
        const index = segment.retriers.get(name)?.indexOf(event.retry.retrier) ?? -1;
        if (index >= 0) retries[index] = (retries[index] ?? 0) + 1;
        segment.current = { ...segment.current, attempt: segment.current.attempt + 1 };
        journal.moveCheckpoint({
          attempt: segment.current.attempt,
          retries: Array.from(retries, (n) => n ?? 0),
        });
        return;
      }
      case "MapIterationStarted":
        journal.append(history.mapIteration("Started", event.parentState.name, event.index));
        return;
      case "MapIterationSucceeded":
        journal.append(history.mapIteration("Succeeded", event.parentState.name, event.index));
        return;
      case "MapIterationFailed":
        journal.append(history.mapIteration("Failed", event.parentState.name, event.index));
        return;
      case "ExecutionSucceeded":
        this.finish(
          live,
          "SUCCEEDED",
          { output: history.json(event.output) },
          history.executionClosed.succeeded(history.json(event.output)),
        );
        return;
      case "ExecutionFailed": {
        // A Fail state without Error/Cause fails the execution with neither, as on AWS.
        const error = event.Error as string | undefined;
        const cause =
          event.Cause === undefined || typeof event.Cause === "string"
            ? event.Cause
            : history.json(event.Cause);
        this.finish(live, "FAILED", { error, cause }, history.executionClosed.failed(error, cause));
        return;
      }
      default:
        return;
    }
  }

  private finish(
    live: LiveExecution,
    status: ExecutionStatus,
    fields: Partial<ExecutionRecord>,
    event: history.EventDraft,
  ): boolean {
    const stopDate = this.options.now();
    if (!live.journal.close({ ...fields, status, stopDate }, event)) return false;
    live.cancelTimeout?.();
    return true;
  }

  private timeOut(live: LiveExecution) {
    this.interrupt(live.segment);
    const error = "States.Timeout";
    const cause = "The execution ran longer than the state machine's TimeoutSeconds";
    this.finish(live, "TIMED_OUT", { error, cause }, history.executionClosed.timedOut(error, cause));
  }

  private closed(live: LiveExecution, fields: Partial<ExecutionRecord>) {
    Object.assign(live.record, fields);
    live.closed = true;
    this.options.logger.debug("execution closed", {
      executionArn: live.record.arn,
      status: fields.status,
      error: fields.error,
    });
    this.interrupt(live.segment);
    this.forget(live);
  }

  private forget(live: LiveExecution) {
    live.cancelTimeout?.();
    this.interrupt(live.segment);
    if (this.live.get(live.record.arn) === live) this.live.delete(live.record.arn);
    live.markDone();
  }

  // --- API-facing operations --------------------------------------------------------------

  async stopExecution(arn: string, error?: string, cause?: string): Promise<number> {
    const live = this.live.get(arn);
    if (live) {
      this.interrupt(live.segment);
      this.finish(live, "ABORTED", { error, cause }, history.executionClosed.aborted(error, cause));
      await live.done;
      const record = await this.store.getExecution(arn);
      return record?.stopDate ?? this.options.now();
    }
    const record = await this.store.getExecution(arn);
    if (!record) throw new AwsServiceError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    if (record.status !== "RUNNING") return record.stopDate ?? record.startDate;
    // Running in the table but not in this process (start-up not resumed yet): close it there,
    // with the next journal entry (so that a writer of this execution elsewhere stops at its
    // next write) and the row, in one transaction.
    const aborted = history.executionClosed.aborted(error, cause);
    for (let attempt = 1; ; attempt++) {
      const latest = await this.store.latestEntry(arn);
      const stopDate = this.options.now();
      const checkpoint = latest?.checkpoint ?? initialJournal().checkpoint;
      const id = checkpoint.nextEventId;
      try {
        await this.store.closeWithEntry(
          arn,
          compact({ status: "ABORTED" as const, stopDate, error, cause }),
          [
            this.store.entryPut(arn, {
              rev: (latest?.rev ?? 0) + 1,
              writer: "StopExecution",
              events: [
                {
                  id,
                  type: aborted.type,
                  timestamp: stopDate,
                  detailsKey: aborted.detailsKey,
                  details: compact({ ...aborted.details }),
                },
              ],
              checkpoint: { ...checkpoint, nextEventId: id + 1 },
            }),
          ],
        );
        return stopDate;
      } catch (failure) {
        if (!isConditionFailure(failure)) throw failure;
        // Closed meanwhile, or another writer took that entry: look again.
        const again = await this.store.getExecution(arn);
        if (again?.status !== "RUNNING") return again?.stopDate ?? stopDate;
        if (attempt >= STOP_ATTEMPTS) throw failure;
      }
    }
  }

  private async pendingTask(token: unknown) {
    const parsed = parseToken(token);
    if (!parsed) throw new AwsServiceError("InvalidToken", "Invalid Token: the task token is not valid");
    const task = await this.store.getTask(parsed.executionArn, parsed.taskKey);
    if (!task?.token)
      throw new AwsServiceError("TaskDoesNotExist", "Task Does Not Exist: no task has this token");
    const timedOut = () =>
      new AwsServiceError("TaskTimedOut", "Task Timed Out: the task of this token is no longer waiting");
    if (task.status !== "PENDING") throw timedOut();
    return { ...parsed, task, timedOut };
  }

  async sendTaskSuccess(token: unknown, output: unknown): Promise<void> {
    if (typeof output !== "string" || Buffer.byteLength(output) > MAX_PAYLOAD_BYTES) {
      throw new AwsServiceError(
        "InvalidOutput",
        "Invalid Output: the output must be a JSON string of at most 256 KiB",
      );
    }
    try {
      JSON.parse(output);
    } catch {
      throw new AwsServiceError("InvalidOutput", "Invalid Output: the output is not JSON");
    }
    const { executionArn: arn, taskKey, timedOut } = await this.pendingTask(token);
    if (!(await this.store.updatePendingTask(arn, taskKey, { status: "SUCCEEDED", output })))
      throw timedOut();
    this.listeners.notify(token as string, { kind: "succeeded", output });
  }

  async sendTaskFailure(token: unknown, error?: string, cause?: string): Promise<void> {
    const { executionArn: arn, taskKey, timedOut } = await this.pendingTask(token);
    if (!(await this.store.updatePendingTask(arn, taskKey, { status: "FAILED", error, cause })))
      throw timedOut();
    this.listeners.notify(token as string, { kind: "failed", error, cause });
  }

  async sendTaskHeartbeat(token: unknown): Promise<void> {
    const { executionArn: arn, taskKey, task, timedOut } = await this.pendingTask(token);
    const now = this.options.now();
    const heartbeatAt = task.heartbeatSeconds !== undefined ? now + task.heartbeatSeconds * 1000 : undefined;
    const fields = heartbeatAt !== undefined ? { heartbeatAt, lastHeartbeat: now } : { lastHeartbeat: now };
    if (!(await this.store.updatePendingTask(arn, taskKey, fields))) throw timedOut();
    if (heartbeatAt !== undefined) this.listeners.notify(token as string, { kind: "heartbeat", heartbeatAt });
  }

  /**
   * Resolves when the execution is no longer running in this process: with its row if this
   * process closed it (what it wrote last), else undefined.
   */
  async settled(arn: string): Promise<ExecutionRecord | undefined> {
    const live = this.live.get(arn);
    if (!live) return undefined;
    await live.done;
    return live.closed ? { ...live.record } : undefined;
  }

  recheckTimers() {
    this.scheduler.recheck();
  }

  /** Like a kill for the data: nothing more is written once this resolves. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.scheduler.stop();
    const lives = [...this.live.values()];
    for (const live of lives) {
      this.interrupt(live.segment);
      live.journal.stop("the emulator stopped");
    }
    this.listeners.clear();
    await Promise.all(lives.map((live) => live.journal.settled()));
    await this.store.close();
    for (const live of lives) this.forget(live);
  }
}
