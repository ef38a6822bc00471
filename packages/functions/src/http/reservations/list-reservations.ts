import { listReservations } from "@allot/core/reservation";
import { reservationDeps } from "../../lib/deps-reservations.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({
    body: { reservations: await listReservations(reservationDeps(), actor, path.awardId ?? "") },
  }),
});
