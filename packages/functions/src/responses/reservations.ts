import { ReservationStatus } from "@allot/core/reservation";
import { z } from "zod";
import { HistoryEntry, IsoTime } from "./common.js";

export const ReservationView = z
  .object({
    reservationId: z.string(),
    requestId: z.string().optional(),
    awardId: z.string(),
    programId: z.string(),
    applicantId: z.string(),
    chips: z.number().int(),
    startsAt: IsoTime,
    endsAt: IsoTime,
    holdCents: z.number().int(),
    status: ReservationStatus,
    requestedAt: IsoTime,
    grantedAt: IsoTime.optional(),
    usageRecordsAtGrant: z.number().int().optional(),
    history: z.array(HistoryEntry(ReservationStatus)),
    revision: z.number().int(),
  })
  .meta({ id: "Reservation" });

export const ClusterView = z
  .object({
    programId: z.string(),
    capacity: z.number().int(),
    hours: z.array(z.object({ hour: IsoTime, reservedChips: z.number().int(), freeChips: z.number().int() })),
  })
  .meta({ id: "ClusterView" });
