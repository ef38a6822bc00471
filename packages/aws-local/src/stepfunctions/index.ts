/**
 * Local Step Functions: `aws-local-stepfunctions` interprets the ASL; this module makes it an
 * AWS-shaped, durable service.
 *
 * Why checkpoints, and where: the interpreter keeps an execution only in memory, and a
 * workflow here waits for people (a callback token can wait 90 days), so a restart of the
 * local runtime must not lose or restart executions. Each execution has a journal in the
 * runtime table (history events, checkpoint, task records) written in order. The checkpoint is
 * the last top-level state entered, with its raw input; restarting means running the same
 * definition with `StartAt` moved to that state. That is the only resume point the
 * interpreter offers, so anything that must survive inside a state lives in a task record
 * keyed by (state entry, attempt): the token, the side effect already done, the deadlines,
 * the outcome. A re-entered state finds its record and replays it instead of acting again.
 *
 * Why side effects wait for a flush: the interpreter dispatches events asynchronously and
 * does not wait for us, so a task (the only place with effects outside) whose token or
 * deadline must survive first waits until the journal holds its state entry and record; a
 * kill then at worst repeats states that act on nothing outside, or a call that was in flight
 * (a request-response call without a deadline does not wait: a kill before its start is on
 * disk makes it such a call).
 *
 * Why one item per write: each journal write is one entry item (its history events, the
 * checkpoint after it, the changes of request-response task records), put only if its number
 * is free; an execution's start is two Puts (running marker, then the row, which also stands
 * for ExecutionStarted) and its close an entry then the row. DynamoDB (Local above all) serves
 * a conditional Put several times faster than a transaction; only a write that changes a
 * callback or Wait record (read by key from outside) is one. Progress nobody waits for is
 * written after a short linger, so quick states share an entry.
 *
 * Why Waits are Tasks and timeouts are ours: the interpreter's Wait, Task timeout and
 * execution timeout are plain setTimeouts (lost on restart, and overflowing past 24.8 days,
 * and a 60 s Task default that a callback must not have). Deadlines are stored as absolute
 * times and armed in hops; the interpreter's Task timer is kept as a backstop longer than any
 * segment, and a wait longer than that relaunches its segment from the checkpoint.
 *
 * Limits, on purpose:
 * - Map and Parallel have no inner checkpoints: a restart re-runs the whole state. Inner task
 *   records are keyed by (enclosing entry, state, input, occurrence), so the re-run replays
 *   finished iterations and re-attaches to pending tokens instead of acting again; but the
 *   inner history events (state entered/exited) appear a second time.
 * - A request-response call (lambda:invoke, putEvents) in flight at a kill runs again.
 * - A Retry pause is not durable: after a restart the retry happens at once. Attempt counts
 *   of top-level states are durable (the retry budget and the per-attempt tokens survive).
 * - JSONata, Assign/Arguments/Output, distributed Map, activities and service integrations
 *   other than lambda:invoke and events:putEvents are refused at CreateStateMachine with
 *   InvalidDefinition, never silently ignored.
 * - Only STANDARD machines; no versions/aliases, redrive, tags, or logging configuration.
 */
import "../polyfills.js";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../aws-config.js";
import type { JsonService } from "../edge/server.js";
import type { LambdaInvoker } from "../lambda/invoker.js";
import type { Logger } from "../logger.js";
import { stepFunctionsService } from "./api.js";
import { Engine } from "./engine.js";
import type { PutEvents } from "./integrations.js";
import { saveMachine } from "./machines.js";
import type { ExecutionRecord } from "./store.js";

export type { PutEvents, PutEventsEntry } from "./integrations.js";

export interface StepFunctionsOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  lambda: LambdaInvoker;
  putEvents: PutEvents;
  logger: Logger;
  region?: string;
  accountId?: string;
  /** The clock of every due time and history timestamp (tests move it to make days pass). */
  now?: () => number;
  /** Test knob: the longest single setTimeout (defaults to Node's maximum). */
  maxTimerHopMs?: number;
  /**
   * Test knob: real time after which a blocked wait relaunches its segment (default 19 days).
   * The interpreter's own Task timer is derived from it, so a request-response task slower
   * than about this long would time out: only shorten it in tests.
   */
  segmentMaxMs?: number;
}

export interface StepFunctionsEmulator {
  service: JsonService;
  /** Creates the machine, or updates its definition; idempotent for the same definition. */
  createStateMachine(
    name: string,
    definition: string,
    roleArn?: string,
  ): Promise<{ stateMachineArn: string }>;
  /** Continues every RUNNING execution of the table from its last checkpoint. */
  resume(): Promise<void>;
  /** Stops timers and in-flight work; after it resolves this instance writes nothing more. */
  stop(): Promise<void>;
  /** Resolves with the execution once it is closed (or no longer runs in this instance). */
  waitForExecution(executionArn: string, timeoutMs?: number): Promise<ExecutionRecord>;
  /** Re-evaluates every timer against `now()` (for tests that move the injected clock). */
  recheckTimers(): void;
}

export const createStepFunctions = (options: StepFunctionsOptions): StepFunctionsEmulator => {
  const engine = new Engine({
    doc: options.doc,
    tableName: options.tableName,
    lambda: options.lambda,
    putEvents: options.putEvents,
    logger: options.logger.child({ service: "stepfunctions" }),
    region: options.region ?? LOCAL_REGION,
    accountId: options.accountId ?? LOCAL_ACCOUNT,
    now: options.now ?? Date.now,
    maxTimerHopMs: options.maxTimerHopMs,
    segmentMaxMs: options.segmentMaxMs,
  });
  const logger = options.logger.child({ service: "stepfunctions" });
  return {
    service: stepFunctionsService(engine),
    async createStateMachine(name, definition, roleArn) {
      const { record, change } = await saveMachine(engine, { name, definition, roleArn }, "replace");
      if (change === "updated")
        logger.info("state machine definition updated", { stateMachineArn: record.arn });
      return { stateMachineArn: record.arn };
    },
    resume: () => engine.resume(),
    stop: () => engine.stop(),
    async waitForExecution(executionArn, timeoutMs = 30_000) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`execution ${executionArn} still running after ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      let closedHere: ExecutionRecord | undefined;
      try {
        closedHere = await Promise.race([engine.settled(executionArn), timeout]);
      } finally {
        clearTimeout(timer);
      }
      const record = closedHere ?? (await engine.store.getExecution(executionArn));
      if (!record) throw new Error(`execution ${executionArn} does not exist`);
      return record;
    },
    recheckTimers: () => engine.recheckTimers(),
  };
};
