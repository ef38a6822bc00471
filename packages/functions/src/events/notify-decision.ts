import { notifyDecision } from "@allot/core/notification";
import { DecisionRecorded } from "@allot/core/proposal";
import { notificationEventDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(DecisionRecorded, (data, { eventId }) =>
  notifyDecision(notificationEventDeps(), eventId, data),
);
