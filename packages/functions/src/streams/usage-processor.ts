import { settleIfExhausted } from "@allot/core/award";
import { checkUsage } from "@allot/core/usage";
import { settlementDeps } from "../lib/deps-awards.js";
import { usageDeps } from "../lib/deps-usage.js";
import { onStreamRecords } from "../lib/stream.js";

// The subscription's filter (stacks/src/streams.ts) lets through the changes of the awards'
// counter shard TOTAL items: one per transaction that counted usage (at acceptance). Each award
// they name has its thresholds checked and, when its usage reached its credits, is settled at
// once, so the provider hears of the crossing now. Both are idempotent: a redelivery finds them
// done. An award whose check fails fails only its records, which are redelivered.
export const handler = onStreamRecords("allot-usage", {
  itemOf: (item) => {
    if (item.sk !== "TOTAL") return undefined;
    if (typeof item.awardId !== "string") throw new Error("a counter shard without its awardId");
    return item.awardId;
  },
  handle: async (awardIds, logger) => {
    const failed = new Map<string, unknown>();
    for (const awardId of new Set(awardIds)) {
      try {
        const { raised } = await checkUsage(usageDeps(), [awardId]);
        logger.debug("usage checked", { awardId, raised: raised[awardId] });
        const settled = await settleIfExhausted(settlementDeps(), awardId);
        if (settled) logger.info("credits used up: settled", { awardId, ...settled });
      } catch (error) {
        failed.set(awardId, error);
      }
    }
    return awardIds.map((awardId) => failed.get(awardId));
  },
});
