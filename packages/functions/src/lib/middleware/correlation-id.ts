import { CorrelationId } from "@allot/core/events";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj, Request } from "@middy/core";
import type { Context } from "aws-lambda";

/** The header a client may send to name its own causal chain (e.g. its own request id). */
export const CORRELATION_HEADER = "x-correlation-id";

export interface Correlated {
  correlationId: string;
  /** The function's logger with this invocation's correlation id on every line. */
  logger: Logger;
}

/** A well-formed correlation id, or undefined: a malformed one is ignored, never an error. */
export const correlationIdIn = (value: unknown): string | undefined => {
  const parsed = CorrelationId.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

/**
 * Picks the invocation's correlation id (`idOf`, else the Lambda request id) and gives the
 * handler a child of `logger` that writes it on every line. A child per invocation, because the
 * local runtime runs many invocations of one module at once and appended keys would mix.
 */
export const correlationId = <Event, Result>(
  logger: Logger,
  idOf: (event: Event) => string | undefined,
): MiddlewareObj<Event, Result, Error, Context & Correlated> => ({
  before: (request: Request<Event, Result, Error, Context & Correlated>) => {
    const id = idOf(request.event) ?? correlationIdIn(request.context.awsRequestId) ?? "unknown";
    request.context.correlationId = id;
    request.context.logger = logger.createChild({ persistentKeys: { correlationId: id } });
  },
});
