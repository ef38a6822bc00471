import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const data = z.object({
  reservationId: z.string(),
  awardId: z.string(),
  programId: z.string(),
  applicantId: z.string(),
  chips: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
});

/** Granted at once or, with `fromQueue`, later: the grantee is told either way. */
export const ReservationGranted = defineEvent(
  Sources.awards,
  "Reservation Granted",
  1,
  data.extend({ holdCents: z.number().int(), fromQueue: z.boolean() }),
);
export const ReservationQueued = defineEvent(Sources.awards, "Reservation Queued", 1, data);
/** Chips freed: consumers try the queue. */
export const ReservationCancelled = defineEvent(
  Sources.awards,
  "Reservation Cancelled",
  1,
  data.extend({ reason: z.string(), freedChips: z.boolean() }),
);
export const ReservationReleased = defineEvent(Sources.awards, "Reservation Released", 1, data);
export const ReservationSuspended = defineEvent(Sources.awards, "Reservation Suspended", 1, data);
export const ReservationResumed = defineEvent(Sources.awards, "Reservation Resumed", 1, data);

export const reservationEvents = [
  ReservationGranted,
  ReservationQueued,
  ReservationCancelled,
  ReservationReleased,
  ReservationSuspended,
  ReservationResumed,
];
