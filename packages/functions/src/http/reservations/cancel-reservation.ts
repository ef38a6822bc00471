import { cancelReservation } from "@allot/core/reservation";
import { reservationDeps } from "../../lib/deps-reservations.js";
import { httpHandler } from "../../lib/http.js";
import { ReservationView } from "../../responses/reservations.js";

export const handler = httpHandler({
  responses: { 200: ReservationView },
  handle: async ({ actor, path }) => ({
    body: await cancelReservation(reservationDeps(), actor, path.awardId ?? "", path.reservationId ?? ""),
  }),
});
