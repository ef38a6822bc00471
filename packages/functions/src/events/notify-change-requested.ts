import { ChangeRequested } from "@allot/core/award";
import { notifyChangeRequested } from "@allot/core/notification";
import { changeNotificationDeps } from "../lib/deps-changes.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ChangeRequested, (data, { eventId }) =>
  notifyChangeRequested(changeNotificationDeps(), eventId, data),
);
