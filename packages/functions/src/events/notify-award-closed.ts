import { AwardClosed } from "@allot/core/award";
import { notifyAwardClosed } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardClosed, (data, { eventId }) =>
  notifyAwardClosed(awardNotificationDeps(), eventId, data),
);
