import { BUSINESS_METRICS, type BusinessMetric } from "@allot/stacks/metrics";
import type middy from "@middy/core";

// Business metrics, in CloudWatch's Embedded Metric Format: one JSON line per invocation on
// stdout, which CloudWatch Logs turns into metrics in the stage's namespace with the function as
// the `service` dimension (the format and variables of Powertools Metrics, which this replaces
// until @aws-lambda-powertools/metrics is a dependency: see the README's Operations section).
// On AWS infra/ sets POWERTOOLS_METRICS_NAMESPACE; locally it is unset, and nothing is written.

export type { BusinessMetric } from "@allot/stacks/metrics";

const pending = new Map<BusinessMetric, number>();

const namespace = () =>
  process.env.POWERTOOLS_METRICS_DISABLED === "true" ? undefined : process.env.POWERTOOLS_METRICS_NAMESPACE;

/** Counts `value` (default 1) of a business metric; published when the invocation ends. */
export const businessMetric = (metric: BusinessMetric, value = 1) => {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`metric ${metric}: ${value} is not a count`);
  if (value === 0 || !namespace()) return;
  pending.set(metric, (pending.get(metric) ?? 0) + value);
};

/** The EMF line for what was counted, or undefined when nothing was (then nothing is written). */
export const metricsLine = (service: string, now = Date.now()): string | undefined => {
  const ns = namespace();
  if (!ns || pending.size === 0) return undefined;
  const counted = [...pending];
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: ns,
          Dimensions: [["service"]],
          Metrics: counted.map(([metric]) => ({ Name: BUSINESS_METRICS[metric], Unit: "Count" })),
        },
      ],
    },
    service,
    ...Object.fromEntries(counted.map(([metric, value]) => [BUSINESS_METRICS[metric], value])),
  });
};

/**
 * Publishes what the invocation counted, whether it succeeded or failed (a failed webhook
 * delivery counts even though the invocation throws to be retried). Straight to stdout: the
 * Lambda runtime's console wraps lines in its own JSON when the log format is JSON, which would
 * hide the metrics from CloudWatch.
 */
export const publishMetrics = (): middy.MiddlewareObj => {
  const flush = (request: middy.Request) => {
    const service = process.env.POWERTOOLS_SERVICE_NAME ?? request.context?.functionName ?? "allot";
    const line = metricsLine(service);
    pending.clear();
    if (line) process.stdout.write(`${line}\n`);
  };
  return { after: flush, onError: flush };
};
