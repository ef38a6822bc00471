import { ReservationRequest, reserve } from "@allot/core/reservation";
import { z } from "zod";
import { reservationDeps } from "../../lib/deps-reservations.js";
import { httpHandler } from "../../lib/http.js";
import { ReservationView } from "../../responses/reservations.js";

// 201 granted at once; 202 queued (the grantee is told when it is granted); 200 a retry of the same
// requestId (the reservation as it is now); 409 short of credits, or the requestId reused for another.
export const handler = httpHandler({
  responses: { 201: ReservationView, 202: ReservationView, 200: ReservationView },
  body: z.unknown(),
  bodyValidatedInCore: ReservationRequest,
  handle: async ({ actor, body, path }) => {
    const awardId = path.awardId ?? "";
    const { status, reservation } = await reserve(reservationDeps(), actor, awardId, body);
    return {
      status,
      body: reservation,
      headers: { location: `/awards/${awardId}/reservations/${reservation.reservationId}` },
    };
  },
});
