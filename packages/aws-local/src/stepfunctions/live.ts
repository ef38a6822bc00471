import type { LambdaInvoker } from "../lambda/invoker.js";
import type { Logger } from "../logger.js";
import type { ParsedDefinition } from "./definition.js";
import type { PutEvents } from "./integrations.js";
import type { Journal } from "./journal.js";
import type { ExecutionRecord, Store } from "./store.js";
import type { Scheduler } from "./timers.js";
import type { TokenListeners } from "./tokens.js";

/**
 * One run of the interpreter over part of an execution: from the start, or from a checkpoint
 * after a restart or a relaunch. Interrupting it discards it; the journal is what survives.
 */
export interface Segment {
  controller: AbortController;
  abortRun: () => void;
  /** Started from a checkpoint: its first state entry re-enters the checkpointed state. */
  firstEntryPending: boolean;
  /** The re-entered state had exited before (its exit is in the history already). */
  suppressExitOf?: string;
  /** The top-level state the interpreter is in, as the event log has told us so far. */
  current?: { name: string; seq: number; attempt: number; fresh: boolean };
  /** Per-segment occurrence counters of nested task invocations (see taskKey). */
  nestedCounters: Map<string, number>;
  retriers: Map<string, unknown[]>;
}

export interface LiveExecution {
  record: ExecutionRecord;
  parsed: ParsedDefinition;
  journal: Journal;
  segment?: Segment;
  cancelTimeout?: () => void;
  /** This process closed it: `record` holds its final fields. */
  closed?: boolean;
  done: Promise<void>;
  markDone: () => void;
}

export interface TaskEnvironment {
  store: Store;
  scheduler: Scheduler;
  listeners: TokenListeners;
  lambda: LambdaInvoker;
  putEvents: PutEvents;
  logger: Logger;
  region: string;
  now: () => number;
  /** Longest real time one segment may block in a wait before it is relaunched. */
  segmentMaxMs: number;
  relaunch(live: LiveExecution, segment: Segment): void;
}
