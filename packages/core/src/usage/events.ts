import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const ids = { awardId: z.string(), programId: z.string() };

/** Raised once per award and threshold (percent of its credits), whatever the batches. */
export const CreditThresholdCrossed = defineEvent(
  Sources.usage,
  "Credit Threshold Crossed",
  1,
  z.object({ ...ids, threshold: z.number().int() }),
);
/** Raised once, with the 100 % threshold: the award has no credits left. */
export const CreditsExhausted = defineEvent(Sources.usage, "Credits Exhausted", 1, z.object(ids));
/** Records of a batch that came over the bus and were refused (the API answers them directly). */
export const UsageRecordsRejected = defineEvent(
  Sources.usage,
  "Usage Records Rejected",
  1,
  z.object({ count: z.number().int(), recordIds: z.array(z.string()) }),
);

export const usageEvents = [CreditThresholdCrossed, CreditsExhausted, UsageRecordsRejected];

/** What integrations put on the bus to report usage (not an Allot event: no metadata). */
export const UsageBatchSource = { source: "integration.usage", detailType: "Usage Batch" } as const;
