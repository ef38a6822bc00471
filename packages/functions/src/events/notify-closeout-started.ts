import { AwardClosing } from "@allot/core/award";
import { notifyCloseoutStarted } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardClosing, (data, { eventId }) =>
  notifyCloseoutStarted(awardNotificationDeps(), eventId, data),
);
