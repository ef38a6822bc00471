import { withCorrelationId } from "@allot/core/events";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { LambdaHandler } from "./lambda-handler.js";
import { createLogger } from "./logger.js";
import { publishMetrics } from "./metrics.js";
import { type Correlated, correlationId, correlationIdIn } from "./middleware/correlation-id.js";
import { traceInvocation } from "./tracing.js";

// A schedule (stacks/ `schedules`) invokes its function with EventBridge's "Scheduled Event"; the
// event says only that it is time, so a scheduled job reads the clock and the table, never the
// event, and running it twice must be harmless. Its one result is logged for the operator.
export const scheduleHandler = <R>(
  name: string,
  run: (meta: Correlated) => Promise<R>,
): LambdaHandler<unknown, R> => {
  const logger = createLogger("allot-schedules");
  const handler = middy<unknown, R, Error, Context & Correlated>()
    .use(traceInvocation())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .use(correlationId(logger, (event) => correlationIdIn((event as { id?: unknown } | null)?.id)))
    .handler(async (_event, context) => {
      const meta = { correlationId: context.correlationId, logger: context.logger };
      const result = await withCorrelationId(meta.correlationId, () => run(meta));
      meta.logger.info(`${name} done`, { result: result as never });
      return result;
    });
  return handler as unknown as LambdaHandler<unknown, R>;
};
