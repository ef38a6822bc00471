import { ChangeDecided } from "@allot/core/award";
import { notifyChangeDecided } from "@allot/core/notification";
import { changeNotificationDeps } from "../lib/deps-changes.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ChangeDecided, (data, { eventId }) =>
  notifyChangeDecided(changeNotificationDeps(), eventId, data),
);
