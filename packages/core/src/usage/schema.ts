import { z } from "zod";
import { ExternalId, mintedId, Text } from "../bounds.js";

// AMIE-shaped usage records: the provider's local record id is the identity that makes a
// record count once, however often and in whatever order it arrives.

export const RecordId = ExternalId(128);
const AwardId = mintedId("awd", "award");
/** The largest single charge or adjustment: $1B, far above any award, far below unsafe integers. */
export const MAX_RECORD_CENTS = 100_000_000_000;
const RecordCents = (min: number) =>
  z
    .number()
    .int("must be whole cents")
    .min(min, min ? `must be at least ${min}` : "must not be negative")
    .max(MAX_RECORD_CENTS, `must be at most ${MAX_RECORD_CENTS} cents`);
const Instant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with an offset" });

export const ComputeRecord = z.object({
  type: z.literal("compute"),
  recordId: RecordId,
  awardId: AwardId,
  chips: z
    .number()
    .int("must be a whole number of chips")
    .min(1, "must be at least 1")
    .max(1_000_000, "must be at most 1,000,000"),
  startedAt: Instant,
  endedAt: Instant,
  chargeCents: RecordCents(0),
});
export type ComputeRecord = z.infer<typeof ComputeRecord>;

export const AdjustmentRecord = z.object({
  type: z.literal("adjustment"),
  recordId: RecordId,
  awardId: AwardId,
  kind: z.enum(["refund", "debit"]),
  amountCents: RecordCents(1),
  reason: Text(500, 1, "is required"),
});
export type AdjustmentRecord = z.infer<typeof AdjustmentRecord>;

export const UsageRecord = z.discriminatedUnion("type", [ComputeRecord, AdjustmentRecord]);
export type UsageRecord = z.infer<typeof UsageRecord>;

export const MAX_BATCH = 1_000;
/**
 * The largest batch body: 1,000 records of the largest valid size (a 500-character reason
 * escaped in JSON) fit with room; under Lambda's 6 MB request payload.
 */
export const MAX_BATCH_BYTES = 4 * 1_048_576;

/** The envelope the HTTP handler checks: records are validated one by one by the domain. */
export const UsageBatchEnvelope = z.object({
  records: z
    .array(z.unknown())
    .min(1, "must hold at least one record")
    .max(MAX_BATCH, `must hold at most ${MAX_BATCH} records; split the batch`),
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
