import { retryDueDeliveries } from "@allot/core/webhook";
import { deliveryDeps } from "../lib/deps-webhook-deliveries.js";
import { scheduleHandler } from "../lib/schedule.js";

// Every minute: the deliveries whose next attempt is due (each claimed, so overlapping runs do
// not send one twice).
export const handler = scheduleHandler("retry-webhook-deliveries", () => retryDueDeliveries(deliveryDeps()));
