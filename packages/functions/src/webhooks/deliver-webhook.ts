import { receiveEvent } from "@allot/core/webhook";
import { Logger } from "@aws-lambda-powertools/logger";
import { z } from "zod";
import { deliveryDeps } from "../lib/deps-deliveries.js";

// The target of every subscription rule: its InputTransformer sends
// {"subscriptionId":"sub_…","event":<the EventBridge envelope>}. An event not in the catalog's
// shape is skipped with a warning (nothing to sign for it).

const logger = new Logger({ serviceName: "allot-webhooks" });

const Input = z.object({
  subscriptionId: z.string().max(64),
  event: z.object({
    source: z.string(),
    "detail-type": z.string(),
    "replay-name": z.string().optional(),
    detail: z.object({
      eventId: z.string(),
      version: z.number(),
      occurredAt: z.string(),
      correlationId: z.string().optional(),
      data: z.unknown(),
    }),
  }),
});

export const handler = async (input: unknown) => {
  const parsed = Input.safeParse(input);
  if (!parsed.success) {
    logger.warn("skipped an event not in the catalog's shape", { issues: parsed.error.issues.length });
    return { skipped: true };
  }
  const delivery = await receiveEvent(deliveryDeps(), parsed.data.subscriptionId, parsed.data.event);
  return { deliveryId: delivery?.deliveryId, status: delivery?.status };
};
