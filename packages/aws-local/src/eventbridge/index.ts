import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../aws-config.js";
import type { BusSpec, RuleSpec, ScheduledRuleSpec } from "../config.js";
import type { JsonService } from "../edge/server.js";
import type { LambdaInvoker } from "../lambda/invoker.js";
import type { Logger } from "../logger.js";
import { Scheduler } from "../stepfunctions/timers.js";
import { createApi } from "./api.js";
import { createRegistry } from "./bus.js";
import { DeadLetters } from "./dead-letters.js";
import { DeliveryStore } from "./deliveries.js";
import { createDestinations } from "./destinations.js";
import { Dispatcher } from "./dispatcher.js";
import { createRateLimiter, sendToApiDestination } from "./http-target.js";
import { listPage } from "./page.js";
import { putEvents, stoppedError } from "./put-events.js";
import { replay } from "./replay.js";
import { loadRuntimeRules } from "./rules-api.js";
import { RuntimeStore } from "./runtime-store.js";
import { Schedules } from "./schedules.js";
import type {
  DeadLetter,
  DeliveryRecord,
  PutEventsRequestEntry,
  PutEventsResponse,
  ReplayOptions,
  ReplayResult,
} from "./types.js";
import { DEFAULT_MAX_REQUEST_BYTES } from "./validate.js";
import type { Leasable, Work } from "./work.js";

export { type DeadLetterSummary, type EventBridgeCommands, eventBridgeCommands } from "./commands.js";
export type * from "./types.js";

export interface EventBridgeOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  buses: BusSpec[];
  rules: RuleSpec[];
  /** Scheduled rules, on the default bus. */
  scheduledRules?: ScheduledRuleSpec[];
  lambda: LambdaInvoker;
  logger: Logger;
  /** The clock scheduled rules follow (default Date.now); tests move it, then recheckSchedules(). */
  now?: () => number;
  region?: string;
  accountId?: string;
  /** Backoff base for retries (default 1 s); small in tests. */
  retryBaseMs?: number;
  /** Longest wait between two retries (default 5 min). */
  retryMaxDelayMs?: number;
  /** Deliveries invoked at once (default 16). */
  concurrency?: number;
  /** How long a claimed delivery stays ours without renewal (default 30 s); a dead owner's work waits this long. */
  leaseMs?: number;
  /** Period of the recovery sweep of the due index (default 10 s). */
  sweepIntervalMs?: number;
  /** Limit on the entries of one PutEvents call, as AWS measures it (default 256 KiB). */
  maxRequestBytes?: number;
  /** Refuse entries for an unknown bus (default true); AWS accepts and drops them. */
  rejectUnknownBus?: boolean;
  /** How long an API destination may take to answer (default 5 s, as on AWS). */
  httpTimeoutMs?: number;
}

export interface EventBridgeEmulator {
  service: JsonService;
  /** PutEvents in-process, same semantics as the API operation (Step Functions' events:putEvents). */
  putEvents(entries: PutEventsRequestEntry[]): Promise<PutEventsResponse>;
  /** Begins delivering, first picking up whatever was owed when the last process stopped or died. */
  start(): Promise<void>;
  /** Stops at once with no further writes; invocations under way finish unheard and are redelivered later. */
  stop(): Promise<void>;
  listDeadLetters(options?: { includeRedriven?: boolean }): Promise<DeadLetter[]>;
  redriveDeadLetters(ids?: string[]): Promise<number>;
  replay(options: ReplayOptions): Promise<ReplayResult>;
  /**
   * Every delivery of one event that has an item of its own, for inspection: a delivery of a
   * PutEvents call gets one when it is recorded (delivered) or anything else happens to it.
   */
  deliveriesOf(eventId: string): Promise<DeliveryRecord[]>;
  /** Resolves when no delivery is owed anywhere in the table; call after start(). */
  idle(): Promise<void>;
  /** Fires a scheduled rule's targets now, outside its periods. */
  runSchedule(name: string): Promise<{ eventId: string; deliveries: number }>;
  /** Re-evaluates the schedules' timers against `now()` (for tests that move the injected clock). */
  recheckSchedules(): void;
}

export const createEventBridge = (options: EventBridgeOptions): EventBridgeEmulator => {
  const logger = options.logger.child({ component: "eventbridge" });
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  // Each archived event and each delivery is one DynamoDB item, and an item holds at most 400 KB.
  if (maxRequestBytes > DEFAULT_MAX_REQUEST_BYTES) {
    throw new Error(
      `maxRequestBytes ${maxRequestBytes} is over ${DEFAULT_MAX_REQUEST_BYTES}: larger events do not fit the emulator's DynamoDB items`,
    );
  }
  const registry = createRegistry({
    buses: options.buses,
    rules: options.rules,
    ...(options.scheduledRules ? { scheduledRules: options.scheduledRules } : {}),
    region: options.region ?? LOCAL_REGION,
    accountId: options.accountId ?? LOCAL_ACCOUNT,
    hasFunction: (name) => options.lambda.has(name),
  });
  const store = new DeliveryStore(options.doc, options.tableName);
  const runtimeStore = new RuntimeStore(options.doc, options.tableName);
  const destinations = createDestinations({ registry, store: runtimeStore, page: listPage });
  // Rules, connections and API destinations created through the API by earlier runs, loaded
  // once, before anything is delivered or matched.
  let loading: Promise<void> | undefined;
  const ready = () => {
    loading ??= (async () => {
      await destinations.load();
      const rules = await loadRuntimeRules({ registry, store: runtimeStore, logger });
      if (rules > 0) logger.info("eventbridge runtime rules loaded", { rules });
    })().catch((error) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  const rateLimit = createRateLimiter();
  const deadLetters = new DeadLetters(options.doc, options.tableName, logger);
  const dispatcher = new Dispatcher({
    store,
    lambda: options.lambda,
    logger,
    concurrency: options.concurrency ?? 16,
    leaseMs: options.leaseMs ?? 30_000,
    sweepIntervalMs: options.sweepIntervalMs ?? 10_000,
    sweepBatch: 500,
    backoff: { baseMs: options.retryBaseMs ?? 1_000, maxMs: options.retryMaxDelayMs ?? 300_000 },
    http: {
      send: (record) =>
        sendToApiDestination(destinations, record, {
          ...(options.httpTimeoutMs ? { timeoutMs: options.httpTimeoutMs } : {}),
          rateLimit,
        }),
    },
  });
  let stopped = false;
  const assertWritable = () => {
    if (stopped) throw stoppedError();
  };
  const common = {
    doc: options.doc,
    tableName: options.tableName,
    registry,
    logger,
    assertWritable,
    preclaim: (item: Leasable, now: number) => dispatcher.preclaim(item, now),
    deliver: (work: Work[]) => dispatcher.enqueue(work),
  };
  const now = options.now ?? Date.now;
  let scheduler = new Scheduler(now);
  const schedules = (timer: Scheduler) =>
    new Schedules({
      doc: options.doc,
      tableName: options.tableName,
      registry,
      logger,
      now,
      scheduler: timer,
      assertWritable,
      deliver: (work) => dispatcher.enqueue(work),
    });
  let running = schedules(scheduler);
  const put = (entries: unknown) =>
    putEvents(
      {
        ...common,
        maxRequestBytes,
        rejectUnknownBus: options.rejectUnknownBus ?? true,
      },
      entries,
    );

  return {
    service: createApi({
      registry,
      createdAt: Date.now(),
      putEvents: async (entries) => {
        await ready();
        return put(entries);
      },
      store: runtimeStore,
      destinations,
      replay: common,
      logger,
      ready,
      hasFunction: (name) => options.lambda.has(name),
    }),
    putEvents: async (entries) => {
      await ready();
      return put(entries);
    },
    start: async () => {
      stopped = false;
      await ready();
      await dispatcher.start();
      scheduler = new Scheduler(now);
      running = schedules(scheduler);
      await running.start();
      logger.info("eventbridge started", {
        buses: [...registry.buses.keys()],
        rules: [...registry.buses.values()].reduce((n, bus) => n + bus.rules.length, 0),
        schedules: registry.schedules.size,
      });
    },
    stop: async () => {
      stopped = true;
      running.stop();
      scheduler.stop();
      await dispatcher.stop();
    },
    listDeadLetters: (listOptions) => deadLetters.list(listOptions),
    redriveDeadLetters: async (ids) => {
      assertWritable();
      const keys = await deadLetters.redrive(ids);
      dispatcher.enqueue(keys);
      return keys.length;
    },
    replay: async (replayOptions) => {
      await ready();
      return replay(common, replayOptions);
    },
    deliveriesOf: (eventId) => store.ofEvent(eventId),
    idle: () => dispatcher.idle(),
    runSchedule: (name) => running.runNow(name),
    recheckSchedules: () => scheduler.recheck(),
  };
};
