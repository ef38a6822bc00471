// One Lambda function per stacks/ function: its environment and its IAM grants come from its
// links (through the plan), nothing else. Bundled by SST's esbuild: ESM, minified, tree-shaken,
// AWS SDK v3 clients bundled (only what a handler imports), no dev dependencies.
import type { FunctionPlan } from "./plan.js";
import type { Resolver } from "./resolve.js";

/**
 * `links` are SST secrets linked the SST way (the provider's URL and shared secret, the GitHub
 * token): encrypted in the bundle and read at run time (`linkedSecret` in the adapters, as SST's
 * `Resource`), never set as an environment variable.
 */
export const createFunction = (
  fn: FunctionPlan,
  resolve: Resolver,
  links: sst.Secret[] = [],
): sst.aws.Function =>
  new sst.aws.Function(fn.logicalName, {
    name: fn.physicalName,
    description: fn.description,
    handler: fn.bundleHandler,
    runtime: fn.runtime,
    architecture: fn.architecture,
    timeout: `${fn.timeoutSeconds} seconds`,
    memory: `${fn.memoryMb} MB`,
    environment: {
      ...Object.fromEntries(
        Object.entries(fn.environment).map(([name, value]) => [name, resolve.value(value)]),
      ),
      // Powertools' own variables: the service (logs, traces, the metrics' dimension) and the
      // stage's metrics namespace (packages/functions/src/lib/metrics.ts).
      POWERTOOLS_SERVICE_NAME: fn.telemetry.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: fn.telemetry.metricsNamespace,
    },
    permissions: fn.statements.map((statement) => ({
      actions: statement.actions,
      resources: statement.resources.map((ref) => resolve.arn(ref)),
      ...(statement.conditions ? { conditions: statement.conditions } : {}),
    })),
    ...(links.length ? { link: links } : {}),
    logging: { retention: fn.logRetention, format: "json" },
    nodejs: { format: "esm", minify: true },
    // Active X-Ray tracing (the role's X-Ray grant is in the plan's statements).
    transform: { function: { tracingConfig: { mode: fn.telemetry.tracing } } },
  });

/** Lambda's own retries for asynchronous invocations (EventBridge targets), then a dead letter. */
export const configureAsyncInvoke = (fn: FunctionPlan, created: sst.aws.Function, resolve: Resolver) => {
  if (!fn.asyncInvoke) return;
  new aws.lambda.FunctionEventInvokeConfig(`${fn.logicalName}AsyncInvoke`, {
    functionName: created.name,
    maximumRetryAttempts: fn.asyncInvoke.maximumRetryAttempts,
    maximumEventAgeInSeconds: fn.asyncInvoke.maximumEventAgeSeconds,
    destinationConfig: {
      onFailure: { destination: resolve.arn({ kind: "queue", queue: fn.asyncInvoke.onFailureQueue }) },
    },
  });
};
