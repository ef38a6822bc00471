import { notifyReservationGranted } from "@allot/core/notification";
import { ReservationGranted } from "@allot/core/reservation";
import { awardNotificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

// Only grants from the queue reach this consumer (its rule filters on `fromQueue`); the core
// consumer checks it again, so a broader rule would still send nothing for a grant at once.
export const handler = onEvent(ReservationGranted, async (data, { eventId }) => {
  await notifyReservationGranted(awardNotificationDeps(), eventId, data);
});
