// Plain functions that return plain ASL states. They add what every state of a kind must carry
// (the Lambda integration, the task token, the transient-error retry) so a machine's file says
// only what is particular to it.
import { type WorkflowErrorName, WorkflowErrors } from "@allot/core";
import type {
  Catcher,
  ChoiceRule,
  ChoiceState,
  Definition,
  FailState,
  MapState,
  PassState,
  Retrier,
  States,
  SucceedState,
  TaskState,
  Template,
  WaitState,
} from "./types.js";

const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
const LAMBDA_INVOKE_CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";

/**
 * Lambda's own transient failures (throttling, a service fault, a sandbox that timed out before
 * the handler ran): every task retries them, after its own retriers and before any Catch.
 */
export const LAMBDA_TRANSIENT_RETRY: Retrier = {
  ErrorEquals: [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "Sandbox.Timedout",
  ],
  IntervalSeconds: 1,
  MaxAttempts: 5,
  BackoffRate: 2,
};

/** The placeholder each realization replaces with the function's ARN (see renderDefinition). */
export const functionRef = (name: string) => `\${function:${name}}`;

export const template = (fields: Template): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(fields).map(([key, value]) => {
      if (typeof value === "string" && value.startsWith("$")) return [`${key}.$`, value];
      if (value !== null && typeof value === "object") return [key, template(value)];
      return [key, value];
    }),
  );

/** Where a state goes next: a state name, or the end of its (sub-)machine. */
export type To = { next: string } | { end: true };
const transition = (to: To) => ("next" in to ? { Next: to.next } : { End: true as const });

interface TaskOptions {
  payload: Template;
  /** Fields of the function's return value that become the state's result. */
  select?: string[];
  resultPath?: string | null;
  /** Retriers for the function's own errors, tried before the Lambda transient policy. */
  retry?: Retrier[];
  catch?: Catcher[];
}

/** A callback task waits forever unless bounded. */
type Timeout = { timeoutSeconds: number } | { timeoutSecondsPath: string; heartbeatSecondsPath?: string };

// Each execution's input carries the correlation id of the chain that started it (the adapters
// put it there); every function gets it for its logs.
const CORRELATED = { correlationId: "$$.Execution.Input.correlationId" };

const lambdaTask = (resource: string, fn: string, options: TaskOptions & To): TaskState => {
  const { payload, select, resultPath, retry = [], catch: catchers } = options;
  return {
    Type: "Task",
    Resource: resource,
    Parameters: { FunctionName: functionRef(fn), Payload: template({ ...payload, ...CORRELATED }) },
    Retry: [...retry, LAMBDA_TRANSIENT_RETRY],
    ...(select && {
      ResultSelector: Object.fromEntries(select.map((field) => [`${field}.$`, `$.Payload.${field}`])),
    }),
    ...(resultPath !== undefined && { ResultPath: resultPath }),
    ...(catchers && { Catch: catchers }),
    ...transition(options),
  };
};

/** Invokes a function and continues with its result. */
export const invoke = (fn: string, options: TaskOptions & To): TaskState =>
  lambdaTask(LAMBDA_INVOKE, fn, options);

/** Invokes a function with a task token and waits until a command completes or fails that token. */
export const waitForToken = (fn: string, options: Omit<TaskOptions, "select"> & Timeout & To): TaskState => ({
  ...lambdaTask(LAMBDA_INVOKE_CALLBACK, fn, {
    ...options,
    payload: { ...options.payload, taskToken: "$$.Task.Token" },
  }),
  ...("timeoutSeconds" in options
    ? { TimeoutSeconds: options.timeoutSeconds }
    : {
        TimeoutSecondsPath: options.timeoutSecondsPath,
        ...(options.heartbeatSecondsPath && { HeartbeatSecondsPath: options.heartbeatSecondsPath }),
      }),
});

/** A Catch clause: these errors go to `next`, with the error at `resultPath` (null: dropped). */
export const on = (
  errors: WorkflowErrorName | WorkflowErrorName[],
  next: string,
  resultPath: string | null = null,
): Catcher => ({
  ErrorEquals: Array.isArray(errors) ? errors : [errors],
  ResultPath: resultPath,
  Next: next,
});

/** Any error at all: the compensation path. */
export const onAnyError = (next: string, resultPath: string | null = null) =>
  on(WorkflowErrors.all, next, resultPath);

export const choice = (rules: ChoiceRule[], otherwise: string): ChoiceState => ({
  Type: "Choice",
  Choices: rules,
  Default: otherwise,
});
export const isTrue = (variable: string, next: string): ChoiceRule => ({
  Variable: variable,
  BooleanEquals: true,
  Next: next,
});
export const equals = (variable: string, value: string, next: string): ChoiceRule => ({
  Variable: variable,
  StringEquals: value,
  Next: next,
});
export const isPresent = (variable: string, next: string): ChoiceRule => ({
  Variable: variable,
  IsPresent: true,
  Next: next,
});

export const pass = (parameters: Template, to: To): PassState => ({
  Type: "Pass",
  Parameters: template(parameters),
  ...transition(to),
});

export const waitUntil = (timestampPath: string, to: To): WaitState => ({
  Type: "Wait",
  TimestampPath: timestampPath,
  ...transition(to),
});

/** Runs `processor` for every item at `itemsPath`, all at once; the results, in order, go to `resultPath`. */
export const map = (
  itemsPath: string,
  processor: { StartAt: string; States: States },
  options: { resultPath: string } & To,
): MapState => ({
  Type: "Map",
  ItemsPath: itemsPath,
  MaxConcurrency: 0,
  ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...processor },
  ResultPath: options.resultPath,
  ...transition(options),
});

export const succeed = (): SucceedState => ({ Type: "Succeed" });

export const fail = (error: WorkflowErrorName, cause: string): FailState => ({
  Type: "Fail",
  Error: error,
  Cause: cause,
});

export const definition = (comment: string, startAt: string, states: States): Definition => ({
  Comment: comment,
  StartAt: startAt,
  States: states,
});
