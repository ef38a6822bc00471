// The small machine both Step Functions benchmarks run: Pass → Task (lambda:invoke) → Choice →
// Succeed. The Fail state is only the Choice's default; a correct run never reaches it.
export const NOOP_FUNCTION = "bench-noop";

export const benchDefinition = {
  Comment: "Benchmark: Pass, a lambda:invoke task, a Choice and Succeed",
  StartAt: "Prepare",
  States: {
    Prepare: {
      Type: "Pass",
      Parameters: { "index.$": "$.index", kind: "bench" },
      Next: "Work",
    },
    Work: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: NOOP_FUNCTION, "Payload.$": "$" },
      ResultSelector: { "ok.$": "$.Payload.ok" },
      ResultPath: "$.work",
      Next: "Route",
    },
    Route: {
      Type: "Choice",
      Choices: [{ Variable: "$.work.ok", BooleanEquals: true, Next: "Done" }],
      Default: "Unexpected",
    },
    Done: { Type: "Succeed" },
    Unexpected: { Type: "Fail", Error: "Bench.Unexpected", Cause: "the task did not answer ok" },
  },
};

/** What the no-op function answers; lambda:invoke wraps it as the response's Payload. */
export const noopPayload = { ok: true };

export interface ExecutionOptions {
  executions: number;
  /** Executions in flight at once. */
  concurrency: number;
}

export interface ExecutionResult {
  executionsPerSecond: number;
  ms: number;
}
