import { notifyReviewersNeeded } from "@allot/core/notification";
import { ReviewersNeeded } from "@allot/core/review";
import { notificationEventDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ReviewersNeeded, (data, { eventId }) =>
  notifyReviewersNeeded(notificationEventDeps(), eventId, data),
);
