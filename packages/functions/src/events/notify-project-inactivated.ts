import { ProjectInactivated } from "@allot/core/award";
import { notifyProjectInactivated } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ProjectInactivated, (data, { eventId }) =>
  notifyProjectInactivated(awardNotificationDeps(), eventId, data),
);
