import { ReservationGranted, startGraceTimer } from "@allot/core/reservation";
import { graceTimer, reservationDeps } from "../lib/deps-reservations.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ReservationGranted, ({ awardId, reservationId }) =>
  startGraceTimer({ ...reservationDeps(), graceTimer: graceTimer() }, awardId, reservationId),
);
