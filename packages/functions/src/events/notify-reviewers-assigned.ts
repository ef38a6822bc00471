import { notifyReviewersAssigned } from "@allot/core/notification";
import { ReviewersAssigned } from "@allot/core/review";
import { notificationEventDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ReviewersAssigned, (data, { eventId }) =>
  notifyReviewersAssigned(notificationEventDeps(), eventId, data),
);
