import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

// One event per closeout step, each carrying ids and amounts only (no personal data).
const ids = { awardId: z.string(), proposalId: z.string(), programId: z.string() };

/** The award is closing: no new reservations, late usage still counted until `graceEndsAt`. */
export const AwardClosing = defineEvent(
  Sources.awards,
  "Award Closing",
  1,
  z.object({ ...ids, graceEndsAt: z.string(), early: z.boolean() }),
);
/** Usage settled into the ledger and the unused credits returned to the pool. */
export const CloseoutSettled = defineEvent(
  Sources.awards,
  "Closeout Settled",
  1,
  z.object({ ...ids, consumedCents: z.number().int(), returnedCents: z.number().int() }),
);
export const FinalReportRequested = defineEvent(
  Sources.awards,
  "Final Report Requested",
  1,
  z.object({ ...ids, dueAt: z.string() }),
);
export const FinalReportSubmitted = defineEvent(Sources.awards, "Final Report Submitted", 1, z.object(ids));
/** The award's cash settled: what the report says was spent, the rest back in the pool. */
export const CloseoutCashSettled = defineEvent(
  Sources.awards,
  "Closeout Cash Settled",
  1,
  z.object({
    ...ids,
    spentCents: z.number().int(),
    returnedCents: z.number().int(),
    reportMissing: z.boolean(),
  }),
);
export const AwardClosed = defineEvent(
  Sources.awards,
  "Award Closed",
  1,
  z.object({ ...ids, status: z.enum(["closed", "closed_noncompliant"]) }),
);
/** A closed-out award's obligation was met late, or fell overdue: its closed status follows. */
export const AwardComplianceRevised = defineEvent(
  Sources.awards,
  "Award Compliance Revised",
  1,
  z.object({ ...ids, status: z.enum(["closed", "closed_noncompliant"]) }),
);

export const closeoutEvents = [
  AwardClosing,
  CloseoutSettled,
  FinalReportRequested,
  FinalReportSubmitted,
  CloseoutCashSettled,
  AwardClosed,
  AwardComplianceRevised,
];
