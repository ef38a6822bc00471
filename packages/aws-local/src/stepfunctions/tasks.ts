import { createHash } from "node:crypto";
import { deferred } from "./deferred.js";
import type { StateInfo, TaskKind } from "./definition.js";
import { failureFor, RuntimeFailure, SegmentInterrupted } from "./failures.js";
import * as history from "./history.js";
import {
  labelOf,
  lambdaFunctionTask,
  lambdaInvokeIntegration,
  type Outcome,
  putEventsIntegration,
} from "./integrations.js";
import type { LiveExecution, Segment, TaskEnvironment } from "./live.js";
import type { TaskRecord } from "./store.js";
import { injectToken, mintToken, type TokenSignal } from "./tokens.js";

interface Call {
  env: TaskEnvironment;
  live: LiveExecution;
  segment: Segment;
  info: StateInfo;
  task: TaskKind;
  key: string;
  /** The state entry began in this segment, so no record of this call can exist yet. */
  fresh: boolean;
  /**
   * Its record lives in the journal entries: a request-response call, which nothing outside
   * the execution reads or changes. Callback and Wait records are items of their own.
   */
  inline: boolean;
}

const terminal = (status: TaskRecord["status"]) =>
  status === "SUCCEEDED" || status === "FAILED" || status === "TIMED_OUT";

const ensureLive = (segment: Segment) => {
  if (segment.controller.signal.aborted) throw new SegmentInterrupted();
};

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The key of a task invocation's durable record (and so of its token). A top-level task is
 * known by its state entry and retry attempt, which the checkpoint carries across restarts.
 * Inside a Map or Parallel there is no checkpoint: such a task is known by its enclosing entry,
 * its input and how many times that same input ran in this segment, so a re-run of the whole
 * Map after a restart finds (and replays) the records of the iterations that had finished.
 */
const taskKey = (segment: Segment, info: StateInfo, input: unknown): string => {
  const current = segment.current;
  if (info.topLevel && current?.name === info.name) return `${current.seq}#${info.name}#${current.attempt}`;
  const digest = createHash("sha256").update(JSON.stringify(input)).digest("base64url").slice(0, 16);
  const base = `${current?.seq ?? 0}.${current?.attempt ?? 0}#${info.name}#${digest}`;
  const occurrence = segment.nestedCounters.get(base) ?? 0;
  segment.nestedCounters.set(base, occurrence + 1);
  return `${base}#${occurrence}`;
};

const seconds = (value: unknown, field: string, minimum: number): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum) {
    throw new RuntimeFailure(`${field} must be an integer >= ${minimum}, got ${JSON.stringify(value)}`);
  }
  return value;
};

const outputOf = (result: unknown) => history.json(result);

/** The interpreter's handler for one Task (or Wait) state: every invocation comes through here. */
export const runTask = async (
  env: TaskEnvironment,
  live: LiveExecution,
  segment: Segment,
  info: StateInfo,
  input: unknown,
): Promise<unknown> => {
  ensureLive(segment);
  // The state's entry (or retry) was dispatched synchronously before this call; after one
  // macrotask the event log consumer has appended it to the journal. Every path below that
  // needs it flushes the journal before it acts outside (see runRequestResponse).
  await nextMacrotask();
  ensureLive(segment);
  const task = info.task;
  if (!task) throw new RuntimeFailure(`state '${info.name}' has no local implementation`);
  const current = segment.current;
  const fresh = current?.fresh === true && (!info.topLevel || current.name === info.name);
  const callback = (task.kind === "lambda-invoke" || task.kind === "events-put") && task.callback;
  const inline = !callback && task.kind !== "wait";
  const key = taskKey(segment, info, input);
  const call: Call = { env, live, segment, info, task, key, fresh, inline };
  const record = fresh
    ? undefined
    : inline
      ? live.journal.inlineTask(key)
      : await env.store.getTask(live.record.arn, key);
  ensureLive(segment);
  if (task.kind === "wait") return runWait(call, record, input as Record<string, unknown>);
  const parameters = input as { p?: unknown; timeout?: unknown; heartbeat?: unknown };
  const timeoutSeconds = seconds(parameters.timeout, "TimeoutSeconds", 1);
  const heartbeatSeconds = seconds(parameters.heartbeat, "HeartbeatSeconds", 1);
  if (record && terminal(record.status)) return consume(call, record);
  if (callback) return runCallback(call, record, parameters.p, timeoutSeconds, heartbeatSeconds);
  return runRequestResponse(call, record, parameters.p, timeoutSeconds);
};

const sideEffect = (call: Call, parameters: unknown): Promise<Outcome> => {
  const { env, task } = call;
  switch (task.kind) {
    case "lambda-invoke":
      return lambdaInvokeIntegration(env.lambda, parameters);
    case "events-put":
      return putEventsIntegration(env.putEvents, parameters);
    case "lambda-function":
      return lambdaFunctionTask(env.lambda, task.functionArn, parameters);
    case "wait":
      return Promise.resolve({ ok: true, result: parameters });
  }
};

const logScheduled = (
  call: Call,
  parameters: unknown,
  timeoutSeconds?: number,
  heartbeatSeconds?: number,
) => {
  const { journal } = call.live;
  if (call.task.kind === "lambda-function") {
    journal.append(history.lambdaScheduled(call.task.functionArn, parameters, timeoutSeconds));
    journal.append(history.lambdaStarted());
    return;
  }
  const label = labelOf(call.task);
  journal.append(history.taskScheduled(label, call.env.region, parameters, timeoutSeconds, heartbeatSeconds));
  journal.append(history.taskStarted(label));
};

/**
 * Turns a finished task record into the state's result, writing its history event once. Not
 * awaited: the next side effect flushes it first, and if a kill comes sooner the re-entered
 * state finds the record unconsumed and writes the event then.
 */
const consume = async (call: Call, record: TaskRecord): Promise<unknown> => {
  const { journal } = call.live;
  if (!record.consumed) {
    const lambdaStyle = call.task.kind === "lambda-function";
    const label = labelOf(call.task);
    const error = record.error ?? "";
    const cause = record.cause ?? "";
    if (record.status === "SUCCEEDED") {
      const output = record.output ?? "null";
      journal.append(lambdaStyle ? history.lambdaSucceeded(output) : history.taskSucceeded(label, output));
    } else if (record.status === "FAILED") {
      journal.append(
        lambdaStyle ? history.lambdaFailed(error, cause) : history.taskFailed(label, error, cause),
      );
    } else {
      journal.append(
        lambdaStyle ? history.lambdaTimedOut(error, cause) : history.taskTimedOut(label, error, cause),
      );
    }
    journal.saveTask(call.key, { consumed: true }, call.inline);
  }
  if (record.status === "SUCCEEDED") return JSON.parse(record.output ?? "null");
  throw await failureFor(record.error ?? "", record.cause ?? "");
};

const finish = (call: Call, fields: Partial<TaskRecord>): Promise<unknown> => {
  call.live.journal.saveTask(call.key, fields, call.inline);
  return consume(call, { key: call.key, ...fields } as TaskRecord);
};

type Wake =
  | { kind: "signal"; signal: TokenSignal }
  | { kind: "timeout" }
  | { kind: "heartbeat" }
  | { kind: "guard" }
  | { kind: "abort" };

/**
 * Waits for the first of: a token signal, the (durable) timeout or heartbeat deadline, the
 * segment guard, or an interruption. The guard exists because the interpreter's own Task
 * timer is bounded by Node's timer: long before it could fire, the segment is relaunched from
 * its checkpoint and the wait continues from the same persisted deadlines.
 */
const wakeUp = (
  call: Call,
  deadlines: { timeoutAt?: number; heartbeatAt?: number; guardFrom?: number },
  inbox?: Inbox,
): { promise: Promise<Wake>; cancel: () => void } => {
  const { env, segment } = call;
  const signal = segment.controller.signal;
  const { promise, resolve } = deferred<Wake>();
  const cleanups: Array<() => void> = [];
  const cancel = () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  if (inbox) cleanups.push(inbox.take((tokenSignal) => resolve({ kind: "signal", signal: tokenSignal })));
  if (deadlines.timeoutAt !== undefined)
    cleanups.push(env.scheduler.at(deadlines.timeoutAt, () => resolve({ kind: "timeout" })));
  if (deadlines.heartbeatAt !== undefined) {
    cleanups.push(env.scheduler.at(deadlines.heartbeatAt, () => resolve({ kind: "heartbeat" })));
  }
  if (deadlines.guardFrom !== undefined) {
    const left = env.segmentMaxMs - (performance.now() - deadlines.guardFrom);
    const guard = setTimeout(() => resolve({ kind: "guard" }), Math.max(0, left));
    cleanups.push(() => clearTimeout(guard));
  }
  const onAbort = () => resolve({ kind: "abort" });
  if (signal.aborted) resolve({ kind: "abort" });
  else signal.addEventListener("abort", onAbort, { once: true });
  cleanups.push(() => signal.removeEventListener("abort", onAbort));
  return { promise: promise.finally(cancel), cancel };
};

const interruptedBy = (call: Call, wake: Wake): never => {
  if (wake.kind === "guard") call.env.relaunch(call.live, call.segment);
  throw new SegmentInterrupted();
};

const runRequestResponse = async (
  call: Call,
  record: TaskRecord | undefined,
  parameters: unknown,
  timeoutSeconds: number | undefined,
): Promise<unknown> => {
  const { env, live, segment } = call;
  let timeoutAt = record?.timeoutAt;
  if (!record) {
    timeoutAt = timeoutSeconds !== undefined ? env.now() + timeoutSeconds * 1000 : undefined;
    live.journal.saveTask(call.key, { status: "STARTED", timeoutAt }, call.inline);
    logScheduled(call, parameters, timeoutSeconds);
  }
  // Killed while a request-response call was in flight: it runs again (at least once, as a
  // Lambda retry would). Only a deadline must be on disk first, to stay the original one;
  // without one, a call whose start a kill lost is just such a call in flight.
  if (timeoutAt !== undefined) await live.journal.flush();
  ensureLive(segment);
  const work = sideEffect(call, parameters).then((outcome) => ({ kind: "done" as const, outcome }));
  const wake = wakeUp(call, { timeoutAt });
  const first = await Promise.race([work, wake.promise]).finally(wake.cancel);
  if (first.kind === "done") {
    ensureLive(segment);
    const { outcome } = first;
    if (outcome.ok) return finish(call, { status: "SUCCEEDED", output: outputOf(outcome.result) });
    return finish(call, { status: "FAILED", error: outcome.error, cause: outcome.cause });
  }
  if (first.kind === "timeout") {
    return finish(call, {
      status: "TIMED_OUT",
      error: "States.Timeout",
      cause: `The task did not finish within ${timeoutSeconds ?? "its"} seconds`,
    });
  }
  return interruptedBy(call, first);
};

/** Token signals that arrive while nobody is waiting are kept until the next wait. */
class Inbox {
  private readonly queue: TokenSignal[] = [];
  private waiting: ((signal: TokenSignal) => void) | undefined;
  readonly dispose: () => void;

  constructor(env: TaskEnvironment, token: string) {
    this.dispose = env.listeners.listen(token, (signal) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(signal);
      else this.queue.push(signal);
    });
  }

  take(listener: (signal: TokenSignal) => void): () => void {
    const queued = this.queue.shift();
    if (queued) {
      listener(queued);
      return () => {};
    }
    this.waiting = listener;
    return () => {
      if (this.waiting === listener) this.waiting = undefined;
    };
  }
}

const runCallback = async (
  call: Call,
  existing: TaskRecord | undefined,
  parameters: unknown,
  timeoutSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
): Promise<unknown> => {
  const { env, live, segment } = call;
  const arn = live.record.arn;
  let record: TaskRecord;
  if (existing) {
    record = existing;
  } else {
    const at = env.now();
    record = {
      key: call.key,
      status: "PENDING",
      token: mintToken(arn, call.key),
      timeoutAt: timeoutSeconds !== undefined ? at + timeoutSeconds * 1000 : undefined,
      heartbeatSeconds,
      heartbeatAt: heartbeatSeconds !== undefined ? at + heartbeatSeconds * 1000 : undefined,
      sideEffectDone: false,
    };
    live.journal.saveTask(call.key, record, call.inline);
    logScheduled(call, injectToken(parameters, record.token ?? ""), timeoutSeconds, heartbeatSeconds);
  }
  await live.journal.flush();
  ensureLive(segment);
  const token = record.token ?? mintToken(arn, call.key);
  // Listening starts before the side effect: its receiver may answer before it returns.
  const inbox = new Inbox(env, token);
  try {
    if (!record.sideEffectDone) {
      const outcome = await sideEffect(call, injectToken(parameters, token));
      ensureLive(segment);
      if (!outcome.ok) {
        const failed = { status: "FAILED" as const, error: outcome.error, cause: outcome.cause };
        if (await env.store.updatePendingTask(arn, call.key, failed))
          return consume(call, { ...record, ...failed });
      } else {
        live.journal.saveTask(call.key, { sideEffectDone: true }, call.inline);
        live.journal.append(history.taskSubmitted(labelOf(call.task), outcome.result));
        await live.journal.flush();
      }
      ensureLive(segment);
    }
    if (call.fresh) return await awaitAnswer(call, record, inbox);
    // Answers that came while nobody listened (before a restart) are in the store.
    const latest = await env.store.getTask(arn, call.key);
    ensureLive(segment);
    if (!latest) throw new RuntimeFailure(`the record of task '${call.info.name}' disappeared`);
    if (terminal(latest.status)) return consume(call, latest);
    return await awaitAnswer(call, latest, inbox);
  } finally {
    inbox.dispose();
  }
};

const awaitAnswer = async (call: Call, record: TaskRecord, inbox: Inbox): Promise<unknown> => {
  const { env, live } = call;
  const arn = live.record.arn;
  const guardFrom = performance.now();
  let heartbeatAt = record.heartbeatAt;
  for (;;) {
    const wake = await wakeUp(call, { timeoutAt: record.timeoutAt, heartbeatAt, guardFrom }, inbox).promise;
    ensureLive(call.segment);
    if (wake.kind === "signal") {
      const { signal } = wake;
      if (signal.kind === "heartbeat") {
        heartbeatAt = signal.heartbeatAt;
        continue;
      }
      if (signal.kind === "succeeded")
        return consume(call, { ...record, status: "SUCCEEDED", output: signal.output });
      return consume(call, { ...record, status: "FAILED", error: signal.error, cause: signal.cause });
    }
    if (wake.kind === "timeout" || wake.kind === "heartbeat") {
      const heartbeat = wake.kind === "heartbeat";
      const timedOut: Partial<TaskRecord> = heartbeat
        ? {
            status: "TIMED_OUT",
            error: "States.HeartbeatTimeout",
            cause: `No heartbeat within ${record.heartbeatSeconds} seconds`,
          }
        : {
            status: "TIMED_OUT",
            error: "States.Timeout",
            cause: "The task did not report success or failure in time",
          };
      const condition = heartbeat
        ? { expression: "heartbeatAt <= :now", values: { ":now": env.now() } }
        : undefined;
      if (await env.store.updatePendingTask(arn, call.key, timedOut, condition)) {
        return consume(call, { ...record, ...timedOut });
      }
      // Lost the race to an answer or a heartbeat: the store says which.
      const latest = await env.store.getTask(arn, call.key);
      ensureLive(call.segment);
      if (latest && terminal(latest.status)) return consume(call, latest);
      heartbeatAt = latest?.heartbeatAt;
      continue;
    }
    return interruptedBy(call, wake);
  }
};

const runWait = async (
  call: Call,
  record: TaskRecord | undefined,
  parameters: Record<string, unknown>,
): Promise<unknown> => {
  const { env, live, segment } = call;
  let dueAt = record?.dueAt;
  if (dueAt === undefined) {
    // Not awaited: a Wait acts on nothing outside; the due time is on disk within milliseconds.
    dueAt = dueTime(parameters, env.now());
    live.journal.saveTask(call.key, { status: "WAITING", dueAt }, call.inline);
  }
  const wake = await wakeUp(call, { timeoutAt: dueAt, guardFrom: performance.now() }).promise;
  ensureLive(segment);
  if (wake.kind === "timeout") return parameters.input;
  return interruptedBy(call, wake);
};

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const dueTime = (parameters: Record<string, unknown>, now: number): number => {
  if ("seconds" in parameters) {
    const value = parameters.seconds;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new RuntimeFailure(`Wait seconds must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
    return now + value * 1000;
  }
  const value = parameters.timestamp;
  if (typeof value !== "string" || !rfc3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw new RuntimeFailure(`Wait timestamp must be an RFC3339 timestamp, got ${JSON.stringify(value)}`);
  }
  return Date.parse(value);
};
