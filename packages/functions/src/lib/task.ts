import { DomainError, retryOnConcurrentModification, WorkflowErrors } from "@allot/core";
import { withCorrelationId } from "@allot/core/events";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import type { LambdaHandler } from "./lambda-handler.js";
import { createLogger } from "./logger.js";
import { publishMetrics } from "./metrics.js";
import { type Correlated, correlationId, correlationIdIn } from "./middleware/correlation-id.js";
import { traceInvocation } from "./tracing.js";

/** Raised to the workflow as the task's error name, so the ASL can Retry or Catch it by name. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

// The machine passes its execution's correlation id (`$$.Execution.Input.correlationId`) to
// every task beside the task's own input.
const correlationOf = (event: unknown) =>
  correlationIdIn((event as { correlationId?: unknown })?.correlationId);

// Workflow tasks validate their input like any boundary; a bad input is a bug in the ASL,
// reported under a stable error name rather than as a crash deep in the domain.
export const taskHandler = <S extends z.ZodType, R>(
  schema: S,
  handle: (input: z.infer<S>, meta: Correlated) => Promise<R>,
): LambdaHandler<unknown, R> => {
  const logger = createLogger("allot-tasks");
  const handler = middy<unknown, R, Error, Context & Correlated>()
    .use(traceInvocation())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .use(correlationId(logger, correlationOf))
    .handler(async (event, context) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        throw new TaskError(
          WorkflowErrors.invalidTaskInput,
          parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        );
      }
      const meta = { correlationId: context.correlationId, logger: context.logger };
      try {
        // Events a task emits carry the chain on.
        return await withCorrelationId(meta.correlationId, () =>
          retryOnConcurrentModification(() => handle(parsed.data, meta)),
        );
      } catch (error) {
        if (error instanceof DomainError) throw new TaskError(`Allot.${error.kind}`, error.message);
        throw error;
      }
    });
  return handler as unknown as LambdaHandler<unknown, R>;
};
