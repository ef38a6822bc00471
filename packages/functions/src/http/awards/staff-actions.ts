import { z } from "zod";

// The bodies of staff actions on awards: each names its reason, kept in the award's history.
const Reason = z.string().trim().min(5, "say why (at least 5 characters)");
const Cents = z.number().int("must be whole cents").nonnegative("must not be negative");

export const TopUp = z
  .object({ cashCents: Cents.default(0), creditsCents: Cents.default(0), reason: Reason })
  .refine((t) => t.cashCents + t.creditsCents > 0, {
    message: "top up cash, credits or both",
    path: ["creditsCents"],
  });
export const Extension = z.object({ months: z.number().int().min(1).max(36), reason: Reason });
export const StaffReason = z.object({ reason: Reason });
