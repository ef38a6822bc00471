import { retryOnConcurrentModification } from "@allot/core";
import { type EventDataOf, type EventDefinition, withCorrelationId } from "@allot/core/events";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { EventBridgeEvent } from "aws-lambda";
import type { LambdaHandler } from "./lambda-handler.js";
import { createLogger } from "./logger.js";
import { publishMetrics } from "./metrics.js";
import { type Correlated, correlationId, correlationIdIn } from "./middleware/correlation-id.js";
import { type EventContext, eventDetail } from "./middleware/event-detail.js";

export { MalformedEventError } from "./middleware/event-detail.js";

import { traceInvocation } from "./tracing.js";

export interface EventMeta extends Correlated {
  eventId: string;
  occurredAt: string;
}

// The event's correlation id continues its causal chain; an event from outside any chain
// starts one named by its own id.
const correlationOf = (event: EventBridgeEvent<string, unknown>) => {
  const detail = (event.detail ?? {}) as { correlationId?: unknown; eventId?: unknown };
  return correlationIdIn(detail.correlationId) ?? correlationIdIn(detail.eventId);
};

/** The event consumers' middleware stack: trace → log with the chain's id → validate the detail → handle. */
export const onEvent = <E extends EventDefinition>(
  definition: E,
  handle: (data: EventDataOf<E>, meta: EventMeta) => Promise<void>,
): LambdaHandler<EventBridgeEvent<string, unknown>, void> => {
  const logger = createLogger("allot-events");
  const handler = middy<EventBridgeEvent<string, unknown>, void, Error, EventContext & Correlated>()
    .use(traceInvocation())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .use(correlationId(logger, correlationOf))
    .use(eventDetail(definition))
    .handler(async (_event, context) => {
      const { detail, correlationId, logger } = context;
      // Events a consumer emits carry the chain on.
      await withCorrelationId(correlationId, () =>
        retryOnConcurrentModification(() =>
          handle(detail.data as EventDataOf<E>, {
            eventId: detail.eventId,
            occurredAt: detail.occurredAt,
            correlationId,
            logger,
          }),
        ),
      );
    });
  return handler as unknown as LambdaHandler<EventBridgeEvent<string, unknown>, void>;
};
