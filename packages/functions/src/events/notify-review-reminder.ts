import { notifyReviewReminder } from "@allot/core/notification";
import { ReviewReminderDue } from "@allot/core/review";
import { notificationEventDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ReviewReminderDue, (data, { eventId }) =>
  notifyReviewReminder(notificationEventDeps(), eventId, data),
);
