import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { AwsServiceError } from "../edge/errors.js";
import { TOKEN_PLACEHOLDER } from "./tokens.js";

type Json = Record<string, unknown>;

export type TaskKind =
  | { kind: "lambda-invoke"; callback: boolean }
  | { kind: "lambda-function"; functionArn: string }
  | { kind: "events-put"; callback: boolean }
  | { kind: "wait" };

export interface StateInfo {
  name: string;
  /** The type written in the definition (a Wait runs as a Task underneath). */
  type: string;
  definition: Json;
  topLevel: boolean;
  task?: TaskKind;
}

export interface ParsedDefinition {
  text: string;
  json: Json;
  startAt: string;
  timeoutSeconds?: number;
  states: Map<string, StateInfo>;
}

const invalid = (message: string) =>
  new AwsServiceError("InvalidDefinition", `Invalid State Machine Definition: ${message}`);

const isObject = (value: unknown): value is Json =>
  !!value && typeof value === "object" && !Array.isArray(value);

export const classifyResource = (resource: unknown): TaskKind | undefined => {
  if (typeof resource !== "string") return undefined;
  const integration =
    /^arn:aws:states:[^:]*:[^:]*:(lambda:invoke|events:putEvents)(\.waitForTaskToken)?$/.exec(resource);
  if (integration) {
    const callback = integration[2] !== undefined;
    return integration[1] === "lambda:invoke"
      ? { kind: "lambda-invoke", callback }
      : { kind: "events-put", callback };
  }
  if (/^arn:aws:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/.test(resource)) {
    return { kind: "lambda-function", functionArn: resource };
  }
  return undefined;
};

// Fields the interpreter does not know: it would run the definition while silently ignoring
// them, which is worse than refusing it. JSONata is the whole newer query language.
const unsupportedStateFields = [
  "QueryLanguage",
  "Assign",
  "Arguments",
  "Output",
  "Items",
  "ItemReader",
  "ItemBatcher",
  "ResultWriter",
  "ToleratedFailurePercentage",
  "ToleratedFailurePercentagePath",
  "ToleratedFailureCount",
  "ToleratedFailureCountPath",
  "Credentials",
  "Label",
];

const childMachines = (state: Json): Json[] => {
  if (state.Type === "Parallel" && Array.isArray(state.Branches)) return state.Branches.filter(isObject);
  if (state.Type === "Map") {
    const processor = state.ItemProcessor ?? state.Iterator;
    return isObject(processor) ? [processor] : [];
  }
  return [];
};

const collectStates = (
  machine: Json,
  topLevel: boolean,
  into: Map<string, StateInfo>,
  problems: string[],
) => {
  if (!isObject(machine.States)) return;
  for (const [name, state] of Object.entries(machine.States)) {
    if (!isObject(state)) continue;
    for (const field of unsupportedStateFields) {
      if (field in state)
        problems.push(`state '${name}' uses '${field}', which the local Step Functions does not support`);
    }
    const processorConfig = isObject(state.ItemProcessor) ? state.ItemProcessor.ProcessorConfig : undefined;
    if (isObject(processorConfig) && processorConfig.Mode === "DISTRIBUTED") {
      problems.push(`state '${name}' is a distributed Map, which the local Step Functions does not support`);
    }
    if (
      state.Type === "Choice" &&
      Array.isArray(state.Choices) &&
      state.Choices.some((c) => isObject(c) && "Condition" in c)
    ) {
      problems.push(
        `state '${name}' uses JSONata 'Condition' rules, which the local Step Functions does not support`,
      );
    }
    let task: TaskKind | undefined;
    if (state.Type === "Task") {
      task = classifyResource(state.Resource);
      if (!task) {
        problems.push(
          `state '${name}' uses resource '${String(state.Resource)}'; locally only lambda:invoke, events:putEvents ` +
            "(both also with .waitForTaskToken) and Lambda function ARNs are supported",
        );
      }
    }
    if (state.Type === "Wait") task = { kind: "wait" };
    into.set(name, { name, type: String(state.Type), definition: state, topLevel, task });
    for (const child of childMachines(state)) collectStates(child, false, into, problems);
  }
};

/**
 * Parses and checks a definition the way CreateStateMachine does. `validate: false` is for
 * definitions that were accepted before (resuming), where only the parse is needed.
 */
export const parseDefinition = (text: unknown, options: { validate?: boolean } = {}): ParsedDefinition => {
  if (typeof text !== "string" || !text.trim())
    throw invalid("the definition must be a non-empty JSON string");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(`the definition is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(json) || typeof json.StartAt !== "string" || !isObject(json.States)) {
    throw invalid("the definition must be an object with 'StartAt' and 'States'");
  }
  const problems: string[] = [];
  if ("QueryLanguage" in json) {
    problems.push(
      "'QueryLanguage' is set; the local Step Functions only runs JSONPath definitions (JSONata is not supported)",
    );
  }
  if (/"\{%[\s\S]*?%\}"/.test(text))
    problems.push("the definition contains JSONata expressions ({% ... %}), which are not supported");
  const states = new Map<string, StateInfo>();
  collectStates(json, true, states, problems);
  if (options.validate !== false) {
    if (problems.length) throw invalid(problems.join("; "));
    try {
      new StateMachine(json as unknown as StateMachineDefinition);
    } catch (error) {
      throw invalid(
        (error as Error).message.replace(
          /^State machine definition is invalid, see error\(s\) below:\s*/,
          "",
        ),
      );
    }
  }
  const timeoutSeconds = typeof json.TimeoutSeconds === "number" ? json.TimeoutSeconds : undefined;
  return { text, json, startAt: json.StartAt, timeoutSeconds, states };
};

export interface RunnableOptions {
  /** The state to start from (a checkpoint), instead of the definition's StartAt. */
  startAt?: string;
  /** Retries already spent by the start state's retriers before a restart, by retrier index. */
  retriesUsed?: number[];
  /** What the interpreter's own Task timer is set to: longer than any segment of a wait. */
  taskTimeoutSeconds: number;
  /** Cap of a retry pause, so the interpreter's sleep never overflows Node's timer. */
  maxRetryDelaySeconds: number;
}

export interface Runnable {
  definition: StateMachineDefinition;
  /** The Retry arrays of the top-level states, to tell which retrier a StateRetried event used. */
  retriers: Map<string, unknown[]>;
}

export const WAIT_RESOURCE = "arn:aws:states:::local:wait";

/**
 * `$$.Task.Token` exists only while a .waitForTaskToken task builds its Parameters ("Accessing
 * execution data from the Context object"), so it is not in the interpreter's context: there it
 * becomes a placeholder that the task override replaces with the real token (tokens.ts).
 */
const withTokenPlaceholder = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withTokenPlaceholder);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (!key.endsWith(".$") || typeof item !== "string") return [key, withTokenPlaceholder(item)];
      if (item === "$$.Task.Token") return [key.slice(0, -2), TOKEN_PLACEHOLDER];
      if (!item.startsWith("States.")) return [key, item];
      return [key, item.replace(/\$\$\.Task\.Token(?![A-Za-z0-9_])/g, `'${TOKEN_PLACEHOLDER}'`)];
    }),
  );
};

const isCallback = (task: TaskKind | undefined) =>
  (task?.kind === "lambda-invoke" || task?.kind === "events-put") && task.callback;

const taskParameters = (state: Json): Json => {
  const given = isCallback(classifyResource(state.Resource))
    ? withTokenPlaceholder(state.Parameters)
    : state.Parameters;
  const parameters: Json = "Parameters" in state ? { p: given } : { "p.$": "$" };
  if (typeof state.TimeoutSeconds === "number") parameters.timeout = state.TimeoutSeconds;
  if (typeof state.TimeoutSecondsPath === "string") parameters["timeout.$"] = state.TimeoutSecondsPath;
  if (typeof state.HeartbeatSeconds === "number") parameters.heartbeat = state.HeartbeatSeconds;
  if (typeof state.HeartbeatSecondsPath === "string") parameters["heartbeat.$"] = state.HeartbeatSecondsPath;
  return parameters;
};

const waitParameters = (state: Json): Json => {
  const parameters: Json = { "input.$": "$" };
  if ("Seconds" in state) parameters.seconds = state.Seconds;
  if (typeof state.SecondsPath === "string") parameters["seconds.$"] = state.SecondsPath;
  if ("Timestamp" in state) parameters.timestamp = state.Timestamp;
  if (typeof state.TimestampPath === "string") parameters["timestamp.$"] = state.TimestampPath;
  return parameters;
};

const capRetries = (state: Json, options: RunnableOptions, used: number[] | undefined) => {
  if (!Array.isArray(state.Retry)) return;
  state.Retry = state.Retry.map((retrier: Json, index: number) => {
    const spent = used?.[index] ?? 0;
    const backoff = typeof retrier.BackoffRate === "number" ? retrier.BackoffRate : 2;
    const interval = typeof retrier.IntervalSeconds === "number" ? retrier.IntervalSeconds : 1;
    const maxAttempts = typeof retrier.MaxAttempts === "number" ? retrier.MaxAttempts : 3;
    const maxDelay =
      typeof retrier.MaxDelaySeconds === "number" ? retrier.MaxDelaySeconds : Number.POSITIVE_INFINITY;
    return {
      ...retrier,
      MaxAttempts: Math.max(0, maxAttempts - spent),
      IntervalSeconds: interval * backoff ** spent,
      MaxDelaySeconds: Math.min(maxDelay, options.maxRetryDelaySeconds),
    };
  });
};

const rewriteStates = (
  machine: Json,
  options: RunnableOptions,
  topLevel: boolean,
  retriers: Map<string, unknown[]>,
) => {
  const states = machine.States as Record<string, Json>;
  for (const [name, original] of Object.entries(states)) {
    const isStart = topLevel && name === options.startAt;
    let state = original;
    if (state.Type === "Wait") {
      const { Seconds, SecondsPath, Timestamp, TimestampPath, ...rest } = state;
      state = { ...rest, Type: "Task", Resource: WAIT_RESOURCE, Parameters: waitParameters(original) };
    } else if (state.Type === "Task") {
      const { TimeoutSecondsPath, HeartbeatSeconds, HeartbeatSecondsPath, ...rest } = state;
      state = { ...rest, Parameters: taskParameters(original) };
    }
    // Every durable wait is ours; the interpreter's Task timer (60 s by default, and it would
    // overflow past 24.8 days) must only ever be a backstop that never fires first.
    if (state.Type === "Task") state.TimeoutSeconds = options.taskTimeoutSeconds;
    capRetries(state, options, isStart ? options.retriesUsed : undefined);
    for (const child of childMachines(state)) rewriteStates(child, options, false, retriers);
    if (topLevel && Array.isArray(state.Retry)) retriers.set(name, state.Retry);
    states[name] = state;
  }
};

/**
 * The definition handed to the interpreter: Waits become Tasks (so that they are durable and
 * unbounded), timeouts and heartbeats move into Parameters where our override reads them, and
 * callback tasks get their token placeholder.
 */
export const buildRunnable = (parsed: ParsedDefinition, options: RunnableOptions): Runnable => {
  const json = JSON.parse(parsed.text) as Json;
  delete json.TimeoutSeconds;
  json.StartAt = options.startAt ?? parsed.startAt;
  const retriers = new Map<string, unknown[]>();
  rewriteStates(json, options, true, retriers);
  return { definition: json as unknown as StateMachineDefinition, retriers };
};
