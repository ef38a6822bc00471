import { readAward, settleAward } from "@allot/core/award";
import { awardReadDeps, settlementDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";
import { AwardView } from "../../responses/awards.js";

// Safe to retry without a key: settling sets the ledger to the counted usage, it adds nothing.
export const handler = httpHandler({
  responses: { 200: AwardView },
  handle: async ({ actor, path }) => {
    await settleAward(settlementDeps(), actor, path.awardId ?? "");
    return { body: await readAward(awardReadDeps(), actor, path.awardId ?? "") };
  },
});
