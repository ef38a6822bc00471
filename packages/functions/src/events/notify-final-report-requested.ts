import { FinalReportRequested } from "@allot/core/award";
import { notifyFinalReportRequested } from "@allot/core/notification";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(FinalReportRequested, (data, { eventId }) =>
  notifyFinalReportRequested(awardNotificationDeps(), eventId, data),
);
