import { z } from "zod";
import { Duration } from "../duration.js";

export const Slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}$/,
    "use 2–63 lower-case letters, digits and dashes, starting with a letter or digit",
  );
export const Cents = z.number().int("must be whole cents").nonnegative("must not be negative");

export const Program = z.object({
  programId: Slug,
  name: z.string().trim().min(3, "is required (at least 3 characters)"),
  description: z.string().trim().default(""),
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
});
export type Program = z.infer<typeof Program>;
export type ProgramInput = z.input<typeof Program>;
