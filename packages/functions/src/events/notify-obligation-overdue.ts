import { notifyObligationOverdue } from "@allot/core/notification";
import { ObligationOverdue } from "@allot/core/output";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ObligationOverdue, (data, { eventId }) =>
  notifyObligationOverdue(awardNotificationDeps(), eventId, data),
);
