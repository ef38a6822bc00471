import { listReservations } from "@allot/core/reservation";
import { z } from "zod";
import { reservationDeps } from "../../lib/deps-reservations.js";
import { httpHandler } from "../../lib/http.js";
import { ReservationView } from "../../responses/reservations.js";

export const handler = httpHandler({
  responses: { 200: z.object({ reservations: z.array(ReservationView) }) },
  handle: async ({ actor, path }) => ({
    body: { reservations: await listReservations(reservationDeps(), actor, path.awardId ?? "") },
  }),
});
