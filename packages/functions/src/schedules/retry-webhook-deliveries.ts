import { retryDueDeliveries } from "@allot/core/webhook";
import { deliveryDeps } from "../lib/deps-deliveries.js";
import { scheduleHandler } from "../lib/schedule.js";

export const handler = scheduleHandler("retry-webhook-deliveries", () => retryDueDeliveries(deliveryDeps()));
