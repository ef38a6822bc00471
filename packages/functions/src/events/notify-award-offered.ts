import { AwardOffered } from "@allot/core/award";
import { notifyAwardOffered } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardOffered, (data, { eventId }) =>
  notifyAwardOffered(awardNotificationDeps(), eventId, data),
);
