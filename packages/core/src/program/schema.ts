import { z } from "zod";
import { Slug, Text } from "../bounds.js";
import { Duration } from "../duration.js";
import { ObligationsConfig } from "../output/schema.js";
import { DEFAULT_THRESHOLDS } from "../usage/schema.js";

export { Slug } from "../bounds.js";
export const Cents = z.number().int("must be whole cents").nonnegative("must not be negative");

/** Whole percents 1–100, ascending, each once, with 100 (exhaustion rides on it). */
export const CreditThresholds = z
  .array(
    z.number().int("must be whole percents").min(1, "must be at least 1").max(100, "must be at most 100"),
  )
  .min(1, "must hold at least 100")
  .refine((ts) => ts.every((t, i) => i === 0 || t > (ts[i - 1] ?? 0)), "must be ascending, each once")
  .refine((ts) => ts.includes(100), "must include 100");

/** A program's thresholds, or the defaults when it sets none. */
export const creditThresholdsOf = (program: { creditThresholds?: readonly number[] }): readonly number[] =>
  program.creditThresholds ?? DEFAULT_THRESHOLDS;

export const Program = z.object({
  programId: Slug,
  name: Text(200, 3, "is required (at least 3 characters)"),
  description: Text(5000).default(""),
  /** What the program can commit in total, per pool. */
  pools: z.object({ cashCents: Cents, creditsCents: Cents }),
  caps: z.object({
    /** The largest single grant, in cash. */
    maxGrantCashCents: Cents,
    /** The most credits one award may carry. */
    maxGrantCreditsCents: Cents,
    /** The most credits one strategic-partner institution may hold across its awards. */
    maxPartnerCreditsCents: Cents,
  }),
  cluster: z.object({ chips: z.number().int().positive("must be at least one chip") }),
  /** What one chip-hour of the research cluster costs in credits. */
  creditRate: z.object({ centsPerChipHour: Cents }),
  /** How long a grantee has to accept an offer before it lapses and its budget is released. */
  offerPeriod: Duration.default("P30D"),
  /** A granted reservation with no usage this long after its window starts is given back (default PT2H). */
  reservationGracePeriod: Duration.optional(),
  /**
   * The burn-down thresholds, in percent of an award's credits, each raising one event and one
   * notice; absent means DEFAULT_THRESHOLDS (50, 80, 95, 100). Optional rather than defaulted so
   * that programs stored before it existed still compare equal on a retried create.
   */
  creditThresholds: CreditThresholds.optional(),
  /** When a grantee's paper and repository are due and when to remind (absent: DEFAULT_OBLIGATIONS). */
  obligations: ObligationsConfig.optional(),
});
export type Program = z.infer<typeof Program>;
export type ProgramInput = z.input<typeof Program>;
