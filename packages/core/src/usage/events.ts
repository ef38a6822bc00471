import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const ids = {
  awardId: z.string().describe("The award's id (awd_…)."),
  programId: z.string().describe("The program whose budget funds the award."),
};
const example = { awardId: "awd_dkg9g94c2p91rs3akng9hvcqec", programId: "model-program" };

/** Raised once per award and threshold (percent of its credits), whatever the batches. */
export const CreditThresholdCrossed = defineEvent(
  Sources.usage,
  "Credit Threshold Crossed",
  1,
  z.object({
    ...ids,
    threshold: z.number().int().describe("The percentage of the award's credits now used (50, 80, 95, 100)."),
  }),
  {
    description:
      "An award's usage crossed a threshold of its credits (50, 80, 95 or 100 %). Sent once per award and threshold, whatever the batches; the grantee is notified, and billing and the compute provider watch budgets with it.",
    example: { ...example, threshold: 80 },
  },
);
/** Raised once, with the 100 % threshold: the award has no credits left. */
export const CreditsExhausted = defineEvent(Sources.usage, "Credits Exhausted", 1, z.object(ids), {
  description:
    "An award has no credits left (sent once, with the 100 % threshold); its reservations are suspended. The compute provider stops the project's jobs.",
  example,
});
/** Records of a batch that came over the bus and were refused (the API answers them directly). */
export const UsageRecordsRejected = defineEvent(
  Sources.usage,
  "Usage Records Rejected",
  1,
  z.object({
    count: z.number().int().describe("How many records of the batch were refused."),
    recordIds: z.array(z.string()).describe("The refused records' ids, as the sender gave them."),
  }),
  {
    description:
      "Records of a usage batch that came over the bus were refused (the HTTP API answers them directly). The integration that sent them corrects and resends them.",
    example: { count: 2, recordIds: ["usage-2027-03-01-0042", "usage-2027-03-01-0043"] },
  },
);

export const usageEvents = [CreditThresholdCrossed, CreditsExhausted, UsageRecordsRejected];

/** What integrations put on the bus to report usage (not an Allot event: no metadata). */
export const UsageBatchSource = { source: "integration.usage", detailType: "Usage Batch" } as const;
