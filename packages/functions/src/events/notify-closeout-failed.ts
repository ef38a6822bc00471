import { CloseoutFailed } from "@allot/core/award";
import { notifyCloseoutFailed } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(CloseoutFailed, (data, { eventId }) =>
  notifyCloseoutFailed(awardNotificationDeps(), eventId, data),
);
