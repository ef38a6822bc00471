import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";

/**
 * A task failure as the interpreter matches it against Retry/Catch: `name` is the ASL error
 * and `message` the cause (that is what it copies into the catcher's `{Error, Cause}`).
 */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/** Like AWS's States.Runtime: neither retried nor caught, the execution fails. */
export class RuntimeFailure extends TaskFailure {
  constructor(cause: string) {
    super("States.Runtime", cause);
  }
  get isRetryable() {
    return false;
  }
  get isCatchable() {
    return false;
  }
}

/** Thrown into an interrupted segment; never observed, the segment's result is discarded. */
export class SegmentInterrupted extends Error {
  constructor() {
    super("segment interrupted");
    this.name = "Local.SegmentInterrupted";
  }
  get isRetryable() {
    return false;
  }
  get isCatchable() {
    return false;
  }
}

// `States.TaskFailed` in a Retry/Catch matches every Task error except a timeout, and the
// interpreter tells a timeout by `instanceof` its own (unexported) class. One instance of it
// is obtained by letting a throwaway task time out after a millisecond.
let timeoutClass: Promise<new () => Error> | undefined;

const probeTimeoutClass = async (): Promise<new () => Error> => {
  const probe: StateMachineDefinition = {
    StartAt: "T",
    States: {
      T: {
        Type: "Task",
        Resource: "arn:aws:lambda:us-east-1:000000000000:function:probe",
        TimeoutSeconds: 0.001,
        End: true,
      },
    },
  };
  const machine = new StateMachine(probe, { validationOptions: { noValidate: true } });
  try {
    await machine.run(null, { overrides: { taskResourceLocalHandlers: { T: () => new Promise(() => {}) } } })
      .result;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.name === "States.Timeout")
      return cause.constructor as new () => Error;
  }
  return class extends Error {
    constructor() {
      super("States.Timeout");
      this.name = "States.Timeout";
    }
  };
};

export const timeoutFailure = async (cause: string): Promise<Error> => {
  timeoutClass ??= probeTimeoutClass();
  const Timeout = await timeoutClass;
  const error = new Timeout();
  error.message = cause;
  return error;
};

export const failureFor = async (error: string, cause: string): Promise<Error> =>
  error === "States.Timeout" ? timeoutFailure(cause) : new TaskFailure(error, cause);
