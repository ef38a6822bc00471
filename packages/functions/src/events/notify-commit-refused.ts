import { AwardCommitRefused } from "@allot/core/award";
import { notifyCommitRefused } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardCommitRefused, (data, { eventId }) =>
  notifyCommitRefused(awardNotificationDeps(), eventId, data),
);
