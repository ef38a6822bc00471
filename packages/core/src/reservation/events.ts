import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const data = z.object({
  reservationId: z.string().describe("The reservation's id (rsv_…)."),
  awardId: z.string().describe("The award the reservation draws on (awd_…)."),
  programId: z.string().describe("The program whose cluster is reserved."),
  applicantId: z.string().describe("The grantee who reserved (identity-provider subject)."),
  chips: z.number().int().describe("How many accelerator chips are reserved."),
  startsAt: z.string().describe("Start of the window (ISO 8601, UTC)."),
  endsAt: z.string().describe("End of the window (ISO 8601, UTC)."),
});
const example = {
  reservationId: "rsv_442693j51e04wke227qdd1cwqj",
  awardId: "awd_dkg9g94c2p91rs3akng9hvcqec",
  programId: "model-program",
  applicantId: "alice",
  chips: 256,
  startsAt: "2027-04-05T08:00:00.000Z",
  endsAt: "2027-04-07T08:00:00.000Z",
};

/** Granted at once or, with `fromQueue`, later: the grantee is told either way. */
export const ReservationGranted = defineEvent(
  Sources.awards,
  "Reservation Granted",
  1,
  data.extend({
    holdCents: z.number().int().describe("The credits held for the window, in cents."),
    fromQueue: z.boolean().describe("Whether it was granted later, from the queue, rather than at once."),
  }),
  {
    description:
      "Cluster chips were reserved for a grantee's window, at once or later from the queue. The grantee is told; the compute provider schedules the window.",
    example: { ...example, holdCents: 61_440, fromQueue: false },
  },
);
export const ReservationQueued = defineEvent(Sources.awards, "Reservation Queued", 1, data, {
  description:
    "A reservation could not fit the cluster's capacity and waits in the queue until chips free up. The grantee is told.",
  example,
});
/** Chips freed: consumers try the queue. */
export const ReservationCancelled = defineEvent(
  Sources.awards,
  "Reservation Cancelled",
  1,
  data.extend({
    reason: z.string().describe("Why the reservation was cancelled."),
    freedChips: z.boolean().describe("Whether chips were freed (a granted reservation, not a queued one)."),
  }),
  {
    description:
      "A reservation was cancelled by the grantee or the system. When it freed chips, queued reservations are tried; the compute provider drops the window.",
    example: { ...example, reason: "cancelled by the grantee", freedChips: true },
  },
);
export const ReservationReleased = defineEvent(Sources.awards, "Reservation Released", 1, data, {
  description:
    "A reservation's window ended and its chips went back to the cluster. Billing and analytics close the window.",
  example,
});
export const ReservationSuspended = defineEvent(Sources.awards, "Reservation Suspended", 1, data, {
  description:
    "A reservation was suspended because its award was suspended or ran out of credits. The compute provider pauses the window.",
  example,
});
export const ReservationResumed = defineEvent(Sources.awards, "Reservation Resumed", 1, data, {
  description:
    "A suspended reservation resumed (its award was resumed or holds credits again). The compute provider reopens the window.",
  example,
});

export const reservationEvents = [
  ReservationGranted,
  ReservationQueued,
  ReservationCancelled,
  ReservationReleased,
  ReservationSuspended,
  ReservationResumed,
];
