import { notifyCreditThresholdCrossed } from "@allot/core/notification";
import { CreditThresholdCrossed } from "@allot/core/usage";
import { usageNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

// One notice per batch of thresholds crossed together: see on-usage-events.ts for the digest.
export const handler = onEvent(CreditThresholdCrossed, async (data, { eventId }) => {
  await notifyCreditThresholdCrossed(usageNotificationDeps(), eventId, data);
});
