import { readAward, respondToOffer } from "@allot/core/award";
import { awardDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";
import { AwardView } from "../../responses/awards.js";

export const handler = httpHandler({
  responses: { 200: AwardView },
  handle: async ({ actor, path }) => {
    const award = await respondToOffer(awardDeps(), actor, path.awardId ?? "", false);
    return { body: await readAward(awardDeps(), actor, award.awardId) };
  },
});
