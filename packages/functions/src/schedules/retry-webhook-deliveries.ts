import { retryDueDeliveries } from "@allot/core/webhook";
import { deliveryDeps } from "../lib/deps-webhook-deliveries.js";
import { scheduleHandler } from "../lib/schedule.js";

/** A run pages through due deliveries for this long: the next run starts a minute after this one. */
const SWEEP_MS = 45_000;

// Every minute: the deliveries whose next attempt is due (each claimed, so overlapping runs do
// not send one twice), page after page for up to 45 s, a few subscriptions at a time.
export const handler = scheduleHandler("retry-webhook-deliveries", () =>
  retryDueDeliveries(deliveryDeps(), { until: Date.now() + SWEEP_MS }),
);
