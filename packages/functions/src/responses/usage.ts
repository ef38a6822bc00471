import { z } from "zod";

export const UsageView = z
  .object({
    awardId: z.string(),
    creditsCents: z.number().int(),
    consumedCents: z.number().int(),
    remainingCents: z.number().int(),
    percentUsed: z.number(),
    byDay: z.array(z.object({ day: z.string(), chargeCents: z.number().int(), records: z.number().int() })),
    forecast: z.object({
      burnRateCentsPerDay: z.number(),
      exhaustsAt: z.string().nullable().meta({ format: "date-time" }),
    }),
    thresholdsCrossed: z.array(z.number().int()),
    settledCents: z
      .number()
      .int()
      .meta({ description: "Credit consumption in the ledger as last settled (at most the credits)" }),
    overageCents: z
      .number()
      .int()
      .meta({ description: "Counted usage beyond the award's credits: recorded, never taken from the pool" }),
    settledAt: z.string().nullable().meta({ format: "date-time" }),
  })
  .meta({ id: "Usage" });

/** Accepted records are counted when this answer is given; each refused one is listed with every reason. */
export const UsageBatchAnswer = z
  .object({
    accepted: z.number().int(),
    rejected: z.array(
      z.object({ index: z.number().int(), recordId: z.string().optional(), reasons: z.array(z.string()) }),
    ),
  })
  .meta({ id: "UsageBatchAnswer" });

/** The store could not take the whole batch in time: send it again (records are deduplicated). */
export const UsageBatchUnfinishedAnswer = z.object({
  message: z.string(),
  stored: z.number().int(),
  pending: z.number().int(),
});
