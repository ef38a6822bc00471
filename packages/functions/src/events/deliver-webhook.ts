import { withCorrelationId } from "@allot/core/events";
import { receiveEvent, SubscriptionId } from "@allot/core/webhook";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { z } from "zod";
import { deliveryDeps } from "../lib/deps-webhook-deliveries.js";
import type { LambdaHandler } from "../lib/lambda-handler.js";
import { createLogger } from "../lib/logger.js";
import { publishMetrics } from "../lib/metrics.js";
import { type Correlated, correlationId, correlationIdIn } from "../lib/middleware/correlation-id.js";
import { traceInvocation } from "../lib/tracing.js";

// The target of every subscription rule: its InputTransformer sends {subscriptionId, event}, the
// event being the bus's envelope. Anything that is not a catalog event (an envelope without our
// detail) is skipped with a warning: retrying it would never make it deliverable.

const DeliverInput = z.object({
  subscriptionId: SubscriptionId,
  event: z.object({
    source: z.string().max(256),
    "detail-type": z.string().max(256),
    "replay-name": z.string().max(64).optional(),
    detail: z.object({
      eventId: z.string().min(1).max(200),
      version: z.number().int().positive(),
      occurredAt: z.iso.datetime({ offset: true }),
      correlationId: z.string().max(200).optional(),
      data: z.record(z.string(), z.unknown()),
    }),
  }),
});

const correlationOf = (input: unknown) => {
  const detail = (input as { event?: { detail?: { correlationId?: unknown; eventId?: unknown } } } | null)
    ?.event?.detail;
  return correlationIdIn(detail?.correlationId) ?? correlationIdIn(detail?.eventId);
};

const logger = createLogger("allot-webhooks");

// Its own stack (the input is a rule target's, not an event detail), with the house's tracer,
// metrics and redacting logger like every other function.
export const handler = middy<unknown, void, Error, Context & Correlated>()
  .use(traceInvocation())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .use(correlationId(logger, correlationOf))
  .handler(async (input, context) => {
    const parsed = DeliverInput.safeParse(input);
    if (!parsed.success) {
      context.logger.warn("not a catalog event: skipped", { issues: z.prettifyError(parsed.error) });
      return;
    }
    const { subscriptionId, event } = parsed.data;
    const delivery = await withCorrelationId(context.correlationId, () =>
      receiveEvent(deliveryDeps(), subscriptionId, event),
    );
    context.logger.info("webhook delivery", {
      subscriptionId,
      eventId: event.detail.eventId,
      deliveryId: delivery?.deliveryId,
      status: delivery?.status ?? "no subscription",
      attempt: delivery?.attempts[0],
    });
  }) as unknown as LambdaHandler<unknown, void>;
