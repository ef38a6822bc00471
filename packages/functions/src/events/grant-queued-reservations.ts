import {
  grantQueued,
  ReservationCancelled,
  ReservationQueued,
  ReservationReleased,
} from "@allot/core/reservation";
import { reservationDeps } from "../lib/deps-reservations.js";
import { onEvent } from "../lib/event.js";

// Chips freed by a cancellation or a release: the queue takes what now fits. Only here, never
// inline in the command that freed them, so a cancel answers at once however long the queue; the
// event is written in the same transaction as the release, so no freed chip is forgotten.
// A request just queued also tries the queue here, since chips may have freed between its
// refusal and its queueing.
const cancelled = onEvent(ReservationCancelled, async (data) => {
  if (data.freedChips) await grantQueued(reservationDeps(), data.programId);
});
const released = onEvent(ReservationReleased, async (data) => {
  await grantQueued(reservationDeps(), data.programId);
});
const queued = onEvent(ReservationQueued, async (data) => {
  await grantQueued(reservationDeps(), data.programId);
});

export const handler = (event: Parameters<typeof cancelled>[0], context: Parameters<typeof cancelled>[1]) => {
  switch (event["detail-type"]) {
    case ReservationReleased.detailType:
      return released(event, context);
    case ReservationQueued.detailType:
      return queued(event, context);
    default:
      return cancelled(event, context);
  }
};
