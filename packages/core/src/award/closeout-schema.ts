import { z } from "zod";
import { OutputId, Text } from "../bounds.js";
import { durationSeconds } from "../duration.js";
import { Cents } from "../program/schema.js";

/** What a program does not set: a month for late usage records, a month for the final report. */
export const DEFAULT_CLOSEOUT_GRACE_PERIOD = "P30D";
export const DEFAULT_FINAL_REPORT_PERIOD = "P30D";

export const closeoutPeriodsOf = (program: {
  closeout?: { gracePeriod?: string; finalReportPeriod?: string };
}) => ({
  graceSeconds: durationSeconds(program.closeout?.gracePeriod ?? DEFAULT_CLOSEOUT_GRACE_PERIOD) ?? 0,
  finalReportSeconds:
    durationSeconds(program.closeout?.finalReportPeriod ?? DEFAULT_FINAL_REPORT_PERIOD) ?? 0,
});

/** The grantee's final report: a short structured form; its cash figure settles the award's cash. */
export const FinalReport = z.object({
  summary: Text(5000, 20, "summarize the funded work (at least 20 characters)"),
  outcomes: z
    .array(Text(1000, 3, "describe the outcome (at least 3 characters)"))
    .min(1, "name at least one outcome")
    .max(50, "at most 50 outcomes"),
  /** The award's cash actually spent; what is left goes back to the cash pool. */
  cashSpentCents: Cents,
  /** The registered outputs (papers, repositories) the report covers. */
  outputIds: z.array(OutputId).max(100, "at most 100 outputs").default([]),
});
export type FinalReport = z.infer<typeof FinalReport>;

/**
 * An award's closeout as it goes: every step leaves its mark here, so a retried task finds what
 * it did and does it once, and the grantee and staff read where it stands.
 */
export interface AwardCloseout {
  /** Why it closes: the term ended, or the approved early-closeout request's justification. */
  reason: string;
  startedAt: string;
  /** Late usage records are counted until then. */
  graceEndsAt: string;
  /** How long the final report may take once requested. */
  finalReportSeconds: number;
  /** Which run of the closeout workflow carries it: 1, then one more per staff resume. */
  attempt?: number;
  /** The last run that failed, until staff resume the closeout (see closeout-resume.ts). */
  failure?: { attempt: number; error: string; at: string };
  /** Set when the usage was settled and the unused credits returned. */
  credits?: { consumedCents: number; returnedCents: number; settledAt: string };
  finalReportRequestedAt?: string;
  finalReportDueAt?: string;
  finalReport?: FinalReport & { submittedAt: string; submittedBy: string };
  /**
   * The cash decision, fixed once: the report's figure, or with no report by its deadline the
   * whole cash taken as spent (nothing comes back to the pool; staff follow up).
   */
  cash?: { spentCents: number; returnedCents: number; reportMissing: boolean; settledAt: string };
  /** Compliance at closing: the reasons an award closed non-compliant. */
  compliance?: { compliant: boolean; reasons: string[]; evaluatedAt: string };
  closedAt?: string;
}
