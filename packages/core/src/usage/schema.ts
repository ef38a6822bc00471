import { z } from "zod";

// AMIE-shaped usage records: the provider's local record id is the identity that makes a
// record count once, however often and in whatever order it arrives.

const RecordId = z.string().min(1, "is required").max(128, "must be at most 128 characters");
const AwardId = z.string().min(1, "is required");

export const ComputeRecord = z.object({
  type: z.literal("compute"),
  recordId: RecordId,
  awardId: AwardId,
  chips: z.number().int("must be a whole number of chips").min(1, "must be at least 1"),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }),
  chargeCents: z.number().int("must be whole cents").min(0, "must not be negative"),
});
export type ComputeRecord = z.infer<typeof ComputeRecord>;

export const AdjustmentRecord = z.object({
  type: z.literal("adjustment"),
  recordId: RecordId,
  awardId: AwardId,
  kind: z.enum(["refund", "debit"]),
  amountCents: z.number().int("must be whole cents").min(1, "must be at least 1"),
  reason: z.string().trim().min(1, "is required"),
});
export type AdjustmentRecord = z.infer<typeof AdjustmentRecord>;

export const UsageRecord = z.discriminatedUnion("type", [ComputeRecord, AdjustmentRecord]);
export type UsageRecord = z.infer<typeof UsageRecord>;

export const MAX_BATCH = 1_000;

/** The envelope the HTTP handler checks: records are validated one by one by the domain. */
export const UsageBatchEnvelope = z.object({
  records: z.array(z.unknown()).min(1, "must hold at least one record").max(MAX_BATCH),
});
/** The same body as documented (each record's schema), for the OpenAPI document. */
export const UsageBatch = z.object({ records: z.array(UsageRecord).min(1).max(MAX_BATCH) });

/** An accepted record as stored for the asynchronous processor. */
export interface StoredUsage {
  record: UsageRecord;
  receivedAt: string;
}

export interface Rejection {
  index: number;
  recordId?: string;
  reasons: string[];
}

/** The default burn-down thresholds, in percent of the award's credits. */
export const DEFAULT_THRESHOLDS = [50, 80, 95, 100] as const;
