import { AwardStatus } from "@allot/core/award";
import { z } from "zod";
import { HistoryEntry, IsoTime } from "./common.js";

/** An award as staff or its grantee see it; never the workflow's callbacks. */
export const AwardView = z
  .object({
    awardId: z.string(),
    proposalId: z.string(),
    programId: z.string(),
    callId: z.string(),
    applicantId: z.string(),
    institution: z.string(),
    institutionId: z.string().optional(),
    strategicPartner: z.boolean(),
    cashCents: z.number().int(),
    creditsCents: z.number().int(),
    periodMonths: z.number().int(),
    status: AwardStatus,
    offeredAt: IsoTime,
    offerExpiresAt: IsoTime,
    acceptedAt: IsoTime.optional(),
    startsAt: IsoTime.optional(),
    endsAt: IsoTime.optional(),
    provider: z
      .object({
        projectId: z.string(),
        access: z.object({ loginHost: z.string(), account: z.string(), instructions: z.string() }),
        provisionedAt: IsoTime,
      })
      .optional(),
    history: z.array(HistoryEntry(AwardStatus).extend({ operationId: z.string().optional() })),
    held: z.object({ cashCents: z.number().int(), creditsCents: z.number().int() }),
  })
  .meta({ id: "Award" });

export const BudgetReport = z
  .object({
    programId: z.string(),
    pools: z.array(
      z.object({
        pool: z.enum(["cash", "credits"]),
        totalCents: z.number().int(),
        committedCents: z.number().int(),
        availableCents: z.number().int(),
        releasedCents: z.number().int(),
        grossCommittedCents: z.number().int(),
      }),
    ),
    institutions: z.array(
      z.object({
        institution: z.string(),
        institutionId: z.string().optional(),
        committedCents: z.number().int(),
        releasedCents: z.number().int(),
        heldCents: z.number().int(),
      }),
    ),
    partners: z.array(
      z.object({
        institution: z.string(),
        institutionKey: z
          .string()
          .meta({ description: "The canonical id, or the folded name on older awards" }),
        capCents: z.number().int(),
        heldCents: z.number().int(),
        remainingCents: z.number().int(),
      }),
    ),
    awardsByState: z.record(z.string(), z.number().int()),
  })
  .meta({ id: "BudgetReport" });

export const ProviderNotificationAnswer = z.object({ awardId: z.string(), received: z.boolean() });
