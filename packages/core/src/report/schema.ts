import { z } from "zod";

// The query strings of the reports. Every report answers JSON, or CSV for `format=csv` (or an
// Accept header asking for text/csv).

/** Years a report can name: from the Unix epoch to 2999, so every period has an ISO name. */
const REPORT_YEAR = /^(19[7-9]\d|2\d{3})-/;
const inYears = "must be in the years 1970 to 2999";
const Day = z.iso.date({ error: "must be a date, YYYY-MM-DD" }).regex(REPORT_YEAR, inYears);
const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month, YYYY-MM")
  .regex(REPORT_YEAR, inYears);

export const ReportFormat = z.enum(["json", "csv"], { error: "must be json or csv" });

export const FunnelQuery = z.object({ format: ReportFormat.optional() });

export const BudgetQuery = z
  .object({
    interval: z.enum(["day", "month"], { error: "must be day or month" }).optional(),
    from: z.union([Day, Month], { error: "must be a date (YYYY-MM-DD) or a month (YYYY-MM)" }).optional(),
    to: z.union([Day, Month], { error: "must be a date (YYYY-MM-DD) or a month (YYYY-MM)" }).optional(),
    format: ReportFormat.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "must not be after to", path: ["from"] });
export type BudgetQuery = z.infer<typeof BudgetQuery>;

export const UtilizationQuery = z
  .object({ from: Day.optional(), to: Day.optional(), format: ReportFormat.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "must not be after to", path: ["from"] });

export const OutputsQuery = z.object({ format: ReportFormat.optional() });
