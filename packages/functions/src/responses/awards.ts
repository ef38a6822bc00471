import { AwardStatus } from "@allot/core/award";
import { z } from "zod";
import { HistoryEntry, IsoTime } from "./common.js";

/** One pool of an award: committed (given) = released + consumed + held. */
const AwardPoolPosition = z.object({
  committedCents: z.number().int(),
  releasedCents: z.number().int(),
  consumedCents: z.number().int(),
  heldCents: z.number().int(),
});

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
    ledger: z
      .object({ cash: AwardPoolPosition, credits: AwardPoolPosition })
      .meta({ description: "The award's money by pool, from its ledger entries" }),
    consumption: z
      .object({
        creditsCents: z.number().int(),
        cashCents: z.number().int(),
        overageCents: z.number().int().meta({
          description: "Counted usage beyond the credits the award holds: recorded, not charged to the pool",
        }),
        settledAt: IsoTime,
      })
      .optional()
      .meta({ description: "The consumption as last settled into the ledger" }),
    inactivatedAt: IsoTime.optional().meta({
      description: "Set while the provider's project is inactivated because the credits are used up",
    }),
  })
  .meta({ id: "Award" });

export const BudgetReport = z
  .object({
    programId: z.string(),
    pools: z.array(
      z.object({
        pool: z.enum(["cash", "credits"]),
        totalCents: z.number().int(),
        committedCents: z
          .number()
          .int()
          .meta({ description: "Given to awards net of releases, consumed or not" }),
        consumedCents: z.number().int(),
        heldCents: z.number().int().meta({ description: "Still with awards: committed − consumed" }),
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
        consumedCents: z.number().int(),
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
        heldCents: z
          .number()
          .int()
          .meta({ description: "Given net of releases, consumed or not: what the cap counts" }),
        consumedCents: z.number().int(),
        remainingCents: z.number().int(),
      }),
    ),
    awardsByState: z.record(z.string(), z.number().int()),
  })
  .meta({ id: "BudgetReport" });

/** A program's ledger recomputed from its entries: each balance that differs, none when consistent. */
export const LedgerCheckView = z
  .object({
    programId: z.string(),
    pools: z.array(
      z.object({
        programId: z.string(),
        pool: z.enum(["cash", "credits"]),
        totalCents: z.number().int(),
        committedCents: z.number().int(),
        consumedCents: z.number().int(),
        availableCents: z.number().int(),
      }),
    ),
    partners: z.array(
      z.object({
        programId: z.string(),
        institution: z.string(),
        institutionKey: z
          .string()
          .meta({ description: "The canonical id, or the folded name on older awards" }),
        capCents: z.number().int(),
        heldCents: z.number().int(),
        remainingCents: z.number().int(),
      }),
    ),
    entries: z.number().int().meta({ description: "How many ledger entries were checked" }),
    awards: z.number().int().meta({ description: "How many awards those entries move" }),
    differences: z.array(
      z.object({
        scope: z.enum(["pool", "partner", "award", "entry"]),
        subject: z.string().meta({ description: "The pool, the institution, the award or the entry id" }),
        field: z.string(),
        expected: z.number().int(),
        actual: z.number().int(),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: "LedgerCheck" });

export const ProviderNotificationAnswer = z.object({ awardId: z.string(), received: z.boolean() });
