// The shapes of the Amazon States Language (JSONPath) that Allot's machines use, and no more:
// the builder returns these plain objects, so what a machine says is exactly what is deployed.

/** A Parameters or Payload template: a value starting with "$" is a path (`key.$`), others are literal. */
export type Template = { [key: string]: string | number | boolean | null | Template };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds?: number;
}

export interface Catcher {
  ErrorEquals: string[];
  ResultPath: string | null;
  Next: string;
}

type Transition = { Next: string; End?: never } | { End: true; Next?: never };

export type TaskState = {
  Type: "Task";
  Resource: string;
  Parameters: Record<string, unknown>;
  Retry: Retrier[];
  ResultSelector?: Record<string, string>;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSecondsPath?: string;
  Catch?: Catcher[];
} & Transition;

export type ChoiceRule = { Variable: string; Next: string } & (
  | { BooleanEquals: boolean }
  | { StringEquals: string }
  | { IsPresent: boolean }
);

export interface ChoiceState {
  Type: "Choice";
  Choices: ChoiceRule[];
  Default: string;
}

export type PassState = { Type: "Pass"; Parameters: Record<string, unknown> } & Transition;

export type WaitState = { Type: "Wait"; TimestampPath: string } & Transition;

export type MapState = {
  Type: "Map";
  ItemsPath: string;
  MaxConcurrency: number;
  ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }; StartAt: string; States: States };
  ResultPath: string;
} & Transition;

export interface SucceedState {
  Type: "Succeed";
}

export interface FailState {
  Type: "Fail";
  Error: string;
  Cause: string;
}

export type State = TaskState | ChoiceState | PassState | WaitState | MapState | SucceedState | FailState;

export type States = Record<string, State>;

// A type alias, not an interface: the topology keeps definitions as plain JSON records.
export type Definition = {
  Comment: string;
  StartAt: string;
  States: States;
};
