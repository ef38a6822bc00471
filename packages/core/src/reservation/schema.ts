import { z } from "zod";
import { ExternalId } from "../bounds.js";
import { deterministicId } from "../ids.js";

export const ReservationStatus = z.enum([
  /** The cluster was short at some hour of the window: waiting, first come first served. */
  "queued",
  /** Chips and credits are held for the window. */
  "granted",
  /** By the grantee or staff (or a queued request whose window passed or credits ran out). */
  "cancelled",
  /** Not used within the grace period: chips and hold returned. */
  "released",
  /** The award's credits are exhausted: the chips and hold are kept until a top-up resumes it. */
  "suspended",
  /** The window ended: the hold is given back, the usage that followed is what the award pays. */
  "completed",
]);
export type ReservationStatus = z.infer<typeof ReservationStatus>;

/** At most 72 hour slots per window: the slots, the reservation, the hold and events fit one transaction. */
export const MAX_WINDOW_HOURS = 72;
export const HOUR_MS = 3_600_000;

const OnTheHour = z.iso
  .datetime({ offset: true })
  .refine((s) => Date.parse(s) % HOUR_MS === 0, "must be on the hour (minutes, seconds at zero)");

export const ReservationRequest = z
  .object({
    /** Chosen by the client, unique per award: a retry with the same one lands on the same reservation. */
    requestId: ExternalId(64),
    chips: z.number().int("must be a whole number of chips").min(1, "must be at least 1"),
    startsAt: OnTheHour,
    endsAt: OnTheHour,
  })
  .superRefine((r, ctx) => {
    const hours = (Date.parse(r.endsAt) - Date.parse(r.startsAt)) / HOUR_MS;
    if (!(hours >= 1)) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
    else if (hours > MAX_WINDOW_HOURS)
      ctx.addIssue({
        code: "custom",
        path: ["endsAt"],
        message: `the window may be at most ${MAX_WINDOW_HOURS} hours long`,
      });
  });
export type ReservationRequest = z.infer<typeof ReservationRequest>;

export interface Reservation {
  reservationId: string;
  /** The client's id of the request; the reservation id is derived from it and the award's. */
  requestId?: string;
  awardId: string;
  programId: string;
  applicantId: string;
  chips: number;
  /** Inclusive start, on the hour (UTC ISO). */
  startsAt: string;
  /** Exclusive end, on the hour. */
  endsAt: string;
  /** chips × hours × the program's cents per chip-hour, held while granted or suspended. */
  holdCents: number;
  status: ReservationStatus;
  requestedAt: string;
  grantedAt?: string;
  /** The award's usage record count when the chips were granted: no new record by the end of the grace period means unused. */
  usageRecordsAtGrant?: number;
  history: Array<{ at: string; status: ReservationStatus; actor: string; reason: string }>;
  revision: number;
}

/** The hour slots `[startsAt, endsAt)` covers, as UTC ISO strings (`2026-06-01T10:00:00.000Z`). */
export const hoursOf = (startsAt: string, endsAt: string): string[] => {
  const out: string[] = [];
  for (let t = Date.parse(startsAt); t < Date.parse(endsAt); t += HOUR_MS)
    out.push(new Date(t).toISOString());
  return out;
};

export const holdCentsFor = (chips: number, startsAt: string, endsAt: string, centsPerChipHour: number) =>
  chips * hoursOf(startsAt, endsAt).length * centsPerChipHour;

/** The reservation id of an award's request: a retried request lands on the same reservation. */
export const reservationIdFor = (awardId: string, requestId: string) =>
  deterministicId("rsv", awardId, requestId);

/** Statuses that hold chips and credits. */
export const HOLDING: readonly ReservationStatus[] = ["granted", "suspended"];
