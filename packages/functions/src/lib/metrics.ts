import { BUSINESS_METRICS, type BusinessMetric } from "@allot/stacks/metrics";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";

// Business metrics with Powertools Metrics: one EMF line per invocation that counted something,
// which CloudWatch Logs turns into metrics in the stage's namespace with the function as the
// `service` dimension. infra/ sets POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME; the
// local runtime sets POWERTOOLS_METRICS_DISABLED=true, and nothing is written.

export type { BusinessMetric } from "@allot/stacks/metrics";

// The utility's own warnings go to the function's log only while it holds metrics: the one it
// gives for an empty buffer would otherwise come with nearly every invocation (most functions
// count nothing), and says nothing is wrong.
const metrics: Metrics = new Metrics({
  logger: {
    debug: () => {},
    info: () => {},
    warn: (...content) => {
      if (metrics.hasStoredMetrics()) console.warn(...content);
    },
    error: (...content) => console.error(...content),
  },
});

/** Counts `value` (default 1) of a business metric; published when the invocation ends. */
export const businessMetric = (metric: BusinessMetric, value = 1) => {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`metric ${metric}: ${value} is not a count`);
  if (value === 0) return;
  metrics.addMetric(BUSINESS_METRICS[metric], MetricUnit.Count, value);
};

/**
 * Publishes what the invocation counted, whether it succeeded or failed (a failed webhook
 * delivery counts even though the invocation throws to be retried).
 */
export const publishMetrics = () => logMetrics(metrics);
