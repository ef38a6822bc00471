import type { ExecutionRecord, HistoryRecord } from "./store.js";

/** A history event as the journal takes it: AWS's type and its one `*EventDetails` member. */
export interface EventDraft {
  type: string;
  detailsKey?: string;
  details?: Record<string, unknown>;
}

const untruncated = { truncated: false };

export const json = (value: unknown): string => JSON.stringify(value ?? null);

export const executionStarted = (input: string, roleArn: string): EventDraft => ({
  type: "ExecutionStarted",
  detailsKey: "executionStartedEventDetails",
  details: { input, inputDetails: untruncated, roleArn },
});

/** Event 1, which the execution's row holds: its input, role and start date. */
export const startedRecord = (execution: ExecutionRecord): HistoryRecord => {
  const draft = executionStarted(execution.input, execution.roleArn);
  return {
    id: 1,
    type: draft.type,
    timestamp: execution.startDate,
    detailsKey: draft.detailsKey,
    details: draft.details,
  };
};

export const stateEntered = (stateType: string, name: string, input: unknown): EventDraft => ({
  type: `${stateType}StateEntered`,
  detailsKey: "stateEnteredEventDetails",
  details: { name, input: json(input), inputDetails: untruncated },
});

export const stateExited = (stateType: string, name: string, output: unknown): EventDraft => ({
  type: `${stateType}StateExited`,
  detailsKey: "stateExitedEventDetails",
  details: { name, output: json(output), outputDetails: untruncated },
});

export const plain = (type: string): EventDraft => ({ type });

export const mapIteration = (
  kind: "Started" | "Succeeded" | "Failed",
  name: string,
  index: number,
): EventDraft => ({
  type: `MapIteration${kind}`,
  detailsKey: `mapIteration${kind}EventDetails`,
  details: { name, index },
});

/** How a task's resource shows in TaskScheduled/Started/...: service and API. */
export interface ResourceLabel {
  resourceType: string;
  resource: string;
}

export const taskScheduled = (
  label: ResourceLabel,
  region: string,
  parameters: unknown,
  timeoutInSeconds?: number,
  heartbeatInSeconds?: number,
): EventDraft => ({
  type: "TaskScheduled",
  detailsKey: "taskScheduledEventDetails",
  details: { ...label, region, parameters: json(parameters), timeoutInSeconds, heartbeatInSeconds },
});

export const taskStarted = (label: ResourceLabel): EventDraft => ({
  type: "TaskStarted",
  detailsKey: "taskStartedEventDetails",
  details: { ...label },
});

export const taskSubmitted = (label: ResourceLabel, output: unknown): EventDraft => ({
  type: "TaskSubmitted",
  detailsKey: "taskSubmittedEventDetails",
  details: { ...label, output: json(output), outputDetails: untruncated },
});

export const taskSucceeded = (label: ResourceLabel, output: string): EventDraft => ({
  type: "TaskSucceeded",
  detailsKey: "taskSucceededEventDetails",
  details: { ...label, output, outputDetails: untruncated },
});

export const taskFailed = (label: ResourceLabel, error: string, cause: string): EventDraft => ({
  type: "TaskFailed",
  detailsKey: "taskFailedEventDetails",
  details: { ...label, error, cause },
});

export const taskTimedOut = (label: ResourceLabel, error: string, cause: string): EventDraft => ({
  type: "TaskTimedOut",
  detailsKey: "taskTimedOutEventDetails",
  details: { ...label, error, cause },
});

export const lambdaScheduled = (resource: string, input: unknown, timeoutInSeconds?: number): EventDraft => ({
  type: "LambdaFunctionScheduled",
  detailsKey: "lambdaFunctionScheduledEventDetails",
  details: { resource, input: json(input), inputDetails: untruncated, timeoutInSeconds },
});

export const lambdaStarted = (): EventDraft => ({ type: "LambdaFunctionStarted" });

export const lambdaSucceeded = (output: string): EventDraft => ({
  type: "LambdaFunctionSucceeded",
  detailsKey: "lambdaFunctionSucceededEventDetails",
  details: { output, outputDetails: untruncated },
});

export const lambdaFailed = (error: string, cause: string): EventDraft => ({
  type: "LambdaFunctionFailed",
  detailsKey: "lambdaFunctionFailedEventDetails",
  details: { error, cause },
});

export const lambdaTimedOut = (error: string, cause: string): EventDraft => ({
  type: "LambdaFunctionTimedOut",
  detailsKey: "lambdaFunctionTimedOutEventDetails",
  details: { error, cause },
});

export const executionClosed = {
  succeeded: (output: string): EventDraft => ({
    type: "ExecutionSucceeded",
    detailsKey: "executionSucceededEventDetails",
    details: { output, outputDetails: untruncated },
  }),
  failed: (error?: string, cause?: string): EventDraft => ({
    type: "ExecutionFailed",
    detailsKey: "executionFailedEventDetails",
    details: { error, cause },
  }),
  aborted: (error?: string, cause?: string): EventDraft => ({
    type: "ExecutionAborted",
    detailsKey: "executionAbortedEventDetails",
    details: { error, cause },
  }),
  timedOut: (error: string, cause: string): EventDraft => ({
    type: "ExecutionTimedOut",
    detailsKey: "executionTimedOutEventDetails",
    details: { error, cause },
  }),
};

const withoutUndefined = (details: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));

/** The API shape: epoch-second timestamps, and the details under their own member name. */
export const toApiEvent = (record: HistoryRecord, includeData: boolean) => {
  const event: Record<string, unknown> = {
    timestamp: record.timestamp / 1000,
    type: record.type,
    id: record.id,
    previousEventId: record.id - 1,
  };
  if (record.detailsKey && record.details) {
    const details = withoutUndefined(record.details);
    if (!includeData) {
      delete details.input;
      delete details.output;
    }
    event[record.detailsKey] = details;
  }
  return event;
};
