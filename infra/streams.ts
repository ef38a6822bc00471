// DynamoDB stream → function, with the Lambda event-source filter from stacks/, partial batch
// failures, bisection on error, and a dead-letter queue for batches that keep failing.
import type { StreamSubscriptionPlan } from "./plan.js";
import type { Resolver } from "./resolve.js";

export const createStreamSubscription = (sub: StreamSubscriptionPlan, resolve: Resolver) =>
  new aws.lambda.EventSourceMapping(sub.logicalName, {
    eventSourceArn: resolve.arn({ kind: "stream", table: sub.table }),
    functionName: resolve.arn({ kind: "function", function: sub.function }),
    filterCriteria: { filters: sub.filters.map((filter) => ({ pattern: JSON.stringify(filter) })) },
    batchSize: sub.batchSize,
    startingPosition: sub.startingPosition,
    maximumRetryAttempts: sub.maximumRetryAttempts,
    maximumRecordAgeInSeconds: sub.maximumRecordAgeSeconds,
    bisectBatchOnFunctionError: sub.bisectBatchOnFunctionError,
    functionResponseTypes: sub.functionResponseTypes,
    destinationConfig: {
      onFailure: { destinationArn: resolve.arn({ kind: "queue", queue: sub.onFailureQueue }) },
    },
  });
