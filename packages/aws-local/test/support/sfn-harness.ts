import { SFNClient } from "@aws-sdk/client-sfn";
import { localClientConfig } from "../../src/aws-config.js";
import { type EdgeServer, startEdgeServer } from "../../src/edge/server.js";
import type { InvokeResult, LambdaInvoker } from "../../src/lambda/invoker.js";
import { functionNameOf } from "../../src/lambda/invoker.js";
import { type Logger, silentLogger } from "../../src/logger.js";
import { freePort } from "../../src/net.js";
import {
  createStepFunctions,
  type PutEventsEntry,
  type StepFunctionsEmulator,
  type StepFunctionsOptions,
} from "../../src/stepfunctions/index.js";
import type { TestDynamo } from "./dynamo.js";
import { runtimeTable } from "./dynamo.js";

export type FakeFunction = (payload: unknown) => InvokeResult | Promise<InvokeResult>;

/** Functions by name, with every call recorded; unknown names are "not found". */
export class FakeLambda implements LambdaInvoker {
  readonly calls: Array<{ name: string; payload: unknown }> = [];
  constructor(readonly functions: Record<string, FakeFunction> = {}) {}
  has(nameOrArn: string) {
    return functionNameOf(nameOrArn) in this.functions;
  }
  async invoke(nameOrArn: string, payload: unknown): Promise<InvokeResult> {
    const name = functionNameOf(nameOrArn);
    this.calls.push({ name, payload });
    const fn = this.functions[name];
    if (!fn) throw new Error(`no function ${name}`);
    return fn(payload);
  }
  callsOf(name: string) {
    return this.calls.filter((call) => call.name === name);
  }
}

export interface SfnHarness {
  emulator: StepFunctionsEmulator;
  sfn: SFNClient;
  edge: EdgeServer;
  lambda: FakeLambda;
  events: PutEventsEntry[];
  /** Like a kill -9 as the data sees it: the emulator stops writing, the edge goes away. */
  kill(): Promise<void>;
}

export const startSfn = async (
  dynamo: TestDynamo,
  options: {
    lambda?: FakeLambda;
    events?: PutEventsEntry[];
    failEvents?: boolean;
    logger?: Logger;
  } & Partial<Pick<StepFunctionsOptions, "now" | "maxTimerHopMs" | "segmentMaxMs">> = {},
): Promise<SfnHarness> => {
  const lambda = options.lambda ?? new FakeLambda();
  const events = options.events ?? [];
  const emulator = createStepFunctions({
    doc: dynamo.doc,
    tableName: runtimeTable.name,
    lambda,
    logger: options.logger ?? silentLogger,
    now: options.now,
    maxTimerHopMs: options.maxTimerHopMs,
    segmentMaxMs: options.segmentMaxMs,
    async putEvents(entries) {
      events.push(...entries);
      if (options.failEvents) {
        return {
          FailedEntryCount: entries.length,
          Entries: entries.map(() => ({ ErrorCode: "InternalFailure", ErrorMessage: "refused by the test" })),
        };
      }
      return {
        FailedEntryCount: 0,
        Entries: entries.map((_, i) => ({ EventId: `event-${events.length}-${i}` })),
      };
    },
  });
  const edge = await startEdgeServer({
    host: "127.0.0.1",
    port: await freePort(),
    services: [emulator.service],
    rest: [],
    logger: silentLogger,
  });
  const sfn = new SFNClient({ ...localClientConfig(edge.url), maxAttempts: 1 });
  return {
    emulator,
    sfn,
    edge,
    lambda,
    events,
    async kill() {
      sfn.destroy();
      await emulator.stop();
      await edge.close();
    },
  };
};

/** Polls until `check` returns a value other than undefined/false. */
export const until = async <T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

export const ok = (payload: unknown): InvokeResult => ({ ok: true, payload });

let counter = 0;
/** A machine name unique within the shared table of a test file. */
export const uniqueName = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** A logger that keeps the messages, for tests that prove an internal path was taken. */
export const recordingLogger = (messages: string[]): Logger => {
  const logger: Logger = {
    debug: (message, fields) => void messages.push(`${message} ${JSON.stringify(fields ?? {})}`),
    info: (message, fields) => void messages.push(`${message} ${JSON.stringify(fields ?? {})}`),
    warn: (message, fields) => void messages.push(`${message} ${JSON.stringify(fields ?? {})}`),
    error: (message, fields) => void messages.push(`${message} ${JSON.stringify(fields ?? {})}`),
    child: () => logger,
  };
  return logger;
};
