import { ProvisioningFailed } from "@allot/core/award";
import { notifyProvisioningFailed } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ProvisioningFailed, (data, { eventId }) =>
  notifyProvisioningFailed(awardNotificationDeps(), eventId, data),
);
