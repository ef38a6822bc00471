// The alarms an operator needs, derived from the plan: every function's errors and throttles, the
// HTTP API's 5xx rate and p99 latency, every dead-letter queue, every state machine's failed,
// timed-out and throttled executions, every stream consumer's iterator age. All notify the one
// topic of the stage (infra/alarms.ts). Plain data, no SST import (vitest reads it).

import { pascal } from "./names.js";
import type {
  AlarmPlan,
  FunctionPlan,
  QueuePlan,
  QueueSource,
  StateMachinePlan,
  StreamSubscriptionPlan,
} from "./types.js";

const FIVE_MINUTES = 300;

/**
 * The thresholds, named so that the snapshot and the README can say why each one is what it is.
 * A change here is a change of what wakes someone up: review it like code.
 */
export const ALARM_THRESHOLDS = {
  /**
   * Any uncaught error in a 5-minute window. Handlers answer every client mistake with a 4xx and
   * every known business refusal with a domain error, so an `Errors` datapoint is a bug or a
   * failing dependency; asynchronous ones are retried, but the first one is already worth a look.
   */
  functionErrors: 0,
  /** Any throttle: the account's (or a reserved) concurrency ran out and invocations were refused. */
  functionThrottles: 0,
  /**
   * More than 1 % of requests answered 5xx over 5 minutes (`5xx` is 0 or 1 per request, so its
   * Average is the rate). No input may cause a 5xx; the margin is for a dependency's brief outage
   * (DynamoDB's 503s retried out) rather than a single unlucky request at 3 a.m.
   */
  api5xxRate: 0.01,
  /**
   * p99 latency above 3 s for 15 minutes (3 × 5 min). Handlers do a few DynamoDB round trips
   * (tens of ms); a cold start on arm64 with the bundled SDK is about 1 s. Sustained seconds at
   * p99 mean a degraded dependency or a hot key, well before the gateway's 30 s cut-off.
   */
  apiP99LatencyMs: 3_000,
  apiLatencyPeriods: 3,
  /** Any message in any dead-letter queue: each is an event, invocation or batch that was lost. */
  deadLetters: 0,
  /** Any failed, timed-out or throttled execution of a state machine. */
  executions: 0,
  /**
   * A stream consumer 5 minutes behind for 15 minutes (3 × 5 min). Consumers normally run
   * seconds behind the table; records expire after 24 h (and the mapping gives up on a record
   * after `maximumRecordAgeSeconds`), so this fires long before anything is skipped.
   */
  iteratorAgeMs: 300_000,
  iteratorAgePeriods: 3,
} as const;

const base = {
  periodSeconds: FIVE_MINUTES,
  evaluationPeriods: 1,
  comparison: "GreaterThanThreshold",
  treatMissingData: "notBreaching",
} as const;

export interface AlarmInputs {
  functions: FunctionPlan[];
  queues: QueuePlan[];
  stateMachines: StateMachinePlan[];
  streamSubscriptions: StreamSubscriptionPlan[];
  /** The HTTP API's logical name (its alarms' dimension is the API's id, known at deploy time). */
  apiLogicalName: string;
}

export const planAlarms = (inputs: AlarmInputs): AlarmPlan[] => {
  const t = ALARM_THRESHOLDS;
  const functionAlarms = inputs.functions.flatMap((fn) =>
    (
      [
        ["Errors", t.functionErrors, "uncaught errors"],
        ["Throttles", t.functionThrottles, "throttled invocations"],
      ] as const
    ).map(
      ([metricName, threshold, what]): AlarmPlan => ({
        ...base,
        logicalName: `${fn.logicalName}${metricName}Alarm`,
        description: `${what} in the function ${fn.name} (more than ${threshold} in 5 minutes)`,
        namespace: "AWS/Lambda",
        metricName,
        dimension: {
          name: "FunctionName",
          value: { ref: { kind: "function", function: fn.name }, attribute: "name" },
        },
        statistic: "Sum",
        threshold,
      }),
    ),
  );

  const apiDimension = { name: "ApiId", value: { api: "id" } } as const;
  const apiAlarms: AlarmPlan[] = [
    {
      ...base,
      logicalName: `${inputs.apiLogicalName}5xxRateAlarm`,
      description: `More than ${t.api5xxRate * 100} % of the HTTP API's requests answered 5xx in 5 minutes`,
      namespace: "AWS/ApiGateway",
      metricName: "5xx",
      dimension: apiDimension,
      statistic: "Average",
      threshold: t.api5xxRate,
    },
    {
      ...base,
      logicalName: `${inputs.apiLogicalName}P99LatencyAlarm`,
      description: `The HTTP API's p99 latency above ${t.apiP99LatencyMs} ms for ${t.apiLatencyPeriods * 5} minutes`,
      namespace: "AWS/ApiGateway",
      metricName: "Latency",
      dimension: apiDimension,
      statistic: "p99",
      evaluationPeriods: t.apiLatencyPeriods,
      threshold: t.apiP99LatencyMs,
    },
  ];

  const queueAlarms = inputs.queues.map(
    (queue): AlarmPlan => ({
      ...base,
      logicalName: `${queue.logicalName}Alarm`,
      description: `A message is waiting in the dead-letter queue ${queue.id}: ${describeSource(queue.receives)}`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimension: { name: "QueueName", value: { ref: { kind: "queue", queue: queue.id }, attribute: "name" } },
      statistic: "Maximum",
      threshold: t.deadLetters,
    }),
  );

  const machineAlarms = inputs.stateMachines.flatMap((machine) =>
    (["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled"] as const).map(
      (metricName): AlarmPlan => ({
        ...base,
        logicalName: `${machine.logicalName}${metricName}Alarm`,
        description: `${metricName} > ${t.executions} on the state machine ${machine.name}`,
        namespace: "AWS/States",
        metricName,
        dimension: {
          name: "StateMachineArn",
          value: { ref: { kind: "stateMachine", stateMachine: machine.name }, attribute: "arn" },
        },
        statistic: "Sum",
        threshold: t.executions,
      }),
    ),
  );

  // Lambda reports IteratorAge per function: one alarm per stream-consuming function.
  const consumers = [...new Set(inputs.streamSubscriptions.map((sub) => sub.function))];
  const streamAlarms = consumers.map(
    (fn): AlarmPlan => ({
      ...base,
      logicalName: `Fn${pascal(fn)}IteratorAgeAlarm`,
      description: `The stream consumer ${fn} is more than ${t.iteratorAgeMs / 60_000} minutes behind its table for ${t.iteratorAgePeriods * 5} minutes`,
      namespace: "AWS/Lambda",
      metricName: "IteratorAge",
      dimension: {
        name: "FunctionName",
        value: { ref: { kind: "function", function: fn }, attribute: "name" },
      },
      statistic: "Maximum",
      evaluationPeriods: t.iteratorAgePeriods,
      threshold: t.iteratorAgeMs,
    }),
  );

  return [...functionAlarms, ...apiAlarms, ...queueAlarms, ...machineAlarms, ...streamAlarms];
};

const describeSource = (source: QueueSource): string => {
  switch (source.kind) {
    case "ruleTarget":
      return `an event rule ${source.rule} could not deliver to ${source.function}`;
    case "scheduleTarget":
      return `a scheduled event of ${source.schedule} could not be delivered to ${source.function}`;
    case "asyncInvoke":
      return `an event ${source.function} failed to process after Lambda's retries`;
    case "streamFailure":
      return `a stream batch ${source.function} failed to process (subscription ${source.subscription})`;
  }
};
