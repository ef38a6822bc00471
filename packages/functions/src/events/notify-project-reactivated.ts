import { ProjectReactivated } from "@allot/core/award";
import { notifyProjectReactivated } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ProjectReactivated, (data, { eventId }) =>
  notifyProjectReactivated(awardNotificationDeps(), eventId, data),
);
