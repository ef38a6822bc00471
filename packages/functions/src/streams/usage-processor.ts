import { storedUsageFromItem } from "@allot/adapters";
import { settleIfExhausted } from "@allot/core/award";
import { processUsage } from "@allot/core/usage";
import { settlementDeps } from "../lib/deps-awards.js";
import { usageDeps } from "../lib/deps-usage.js";
import { onStreamRecords } from "../lib/stream.js";

// The subscription's filter (stacks/src/streams.ts) lets only new USAGE#…/RECORD items
// through. Records are applied per award; an award whose records fail fails only those records,
// which are redelivered: the per-record markers make the ones already counted no-ops, so a
// retry never counts twice. An award whose usage reached its credits settles at once, so the
// provider hears of the crossing now (a redelivery finds the settlement done).
export const handler = onStreamRecords("allot-usage", {
  itemOf: (item, record) =>
    record.eventName === "INSERT" && item.sk === "RECORD" ? storedUsageFromItem(item) : undefined,
  handle: async (records, logger) => {
    const byAward = new Map<string, typeof records>();
    for (const r of records) byAward.set(r.record.awardId, [...(byAward.get(r.record.awardId) ?? []), r]);
    const failed = new Map<string, unknown>();
    for (const [awardId, list] of byAward) {
      try {
        const result = await processUsage(usageDeps(), list);
        logger.debug("usage applied", { awardId, ...result });
        const settled = await settleIfExhausted(settlementDeps(), awardId);
        if (settled) logger.info("credits used up: settled", { awardId, ...settled });
      } catch (error) {
        failed.set(awardId, error);
      }
    }
    return records.map((r) => failed.get(r.record.awardId));
  },
});
