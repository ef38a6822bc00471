import { suspendReservations } from "@allot/core/reservation";
import { CreditsExhausted } from "@allot/core/usage";
import { reservationDeps } from "../lib/deps-reservations.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(CreditsExhausted, async (data, { eventId }) => {
  await suspendReservations(reservationDeps(), data.awardId, eventId);
});
