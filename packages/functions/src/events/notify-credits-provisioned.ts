import { CreditsProvisioned } from "@allot/core/award";
import { notifyCreditsProvisioned } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(CreditsProvisioned, (data, { eventId }) =>
  notifyCreditsProvisioned(awardNotificationDeps(), eventId, data),
);
