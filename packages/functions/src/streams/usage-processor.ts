import { storedUsageFromItem } from "@allot/adapters";
import { settleIfExhausted } from "@allot/core/award";
import { checkUsage } from "@allot/core/usage";
import { settlementDeps } from "../lib/deps-awards.js";
import { usageDeps } from "../lib/deps-usage.js";
import { onStreamRecords } from "../lib/stream.js";

// The subscription's filter (stacks/src/streams.ts) lets only new USAGE#…/RECORD items through.
// Each was counted by the write that stored it (at acceptance); here each award they name has its
// thresholds checked and, when its usage reached its credits, is settled at once, so the provider
// hears of the crossing now. Both are idempotent: a redelivery finds them done. An award whose
// check fails fails only its records, which are redelivered.
export const handler = onStreamRecords("allot-usage", {
  itemOf: (item, record) =>
    record.eventName === "INSERT" && item.sk === "RECORD" ? storedUsageFromItem(item) : undefined,
  handle: async (records, logger) => {
    const byAward = new Map<string, typeof records>();
    for (const r of records) byAward.set(r.record.awardId, [...(byAward.get(r.record.awardId) ?? []), r]);
    const failed = new Map<string, unknown>();
    for (const [awardId, list] of byAward) {
      try {
        const { raised } = await checkUsage(usageDeps(), list);
        logger.debug("usage checked", { awardId, records: list.length, raised: raised[awardId] });
        const settled = await settleIfExhausted(settlementDeps(), awardId);
        if (settled) logger.info("credits used up: settled", { awardId, ...settled });
      } catch (error) {
        failed.set(awardId, error);
      }
    }
    return records.map((r) => failed.get(r.record.awardId));
  },
});
