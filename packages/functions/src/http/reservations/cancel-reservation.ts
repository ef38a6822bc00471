import { cancelReservation } from "@allot/core/reservation";
import { reservationDeps } from "../../lib/deps-reservations.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({
    body: await cancelReservation(reservationDeps(), actor, path.awardId ?? "", path.reservationId ?? ""),
  }),
});
