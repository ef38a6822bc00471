import { z } from "zod";
import { IsoTime } from "./common.js";

/** The grantee's final report as stored, with when and by whom it was submitted. */
export const FinalReportView = z
  .object({
    summary: z.string(),
    outcomes: z.array(z.string()),
    cashSpentCents: z.number().int(),
    outputIds: z.array(z.string()),
    submittedAt: IsoTime,
    submittedBy: z.string(),
  })
  .meta({ id: "FinalReport" });

/** Where an award's closeout stands: each step's mark, as the award's record keeps it. */
export const CloseoutView = z
  .object({
    reason: z.string(),
    startedAt: IsoTime,
    graceEndsAt: IsoTime,
    finalReportSeconds: z.number().int(),
    attempt: z.number().int().optional(),
    failure: z.object({ attempt: z.number().int(), error: z.string(), at: IsoTime }).optional(),
    credits: z
      .object({ consumedCents: z.number().int(), returnedCents: z.number().int(), settledAt: IsoTime })
      .optional(),
    finalReportRequestedAt: IsoTime.optional(),
    finalReportDueAt: IsoTime.optional(),
    finalReport: FinalReportView.optional(),
    cash: z
      .object({
        spentCents: z.number().int(),
        returnedCents: z.number().int(),
        reportMissing: z.boolean(),
        settledAt: IsoTime,
      })
      .optional(),
    compliance: z
      .object({ compliant: z.boolean(), reasons: z.array(z.string()), evaluatedAt: IsoTime })
      .optional(),
    closedAt: IsoTime.optional(),
  })
  .meta({ id: "Closeout" });
