import { readAward, TopUp, topUpAward } from "@allot/core/award";
import { awardDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  body: TopUp,
  handle: async ({ actor, body, path }) => {
    await topUpAward(awardDeps(), actor, path.awardId ?? "", body);
    return { body: await readAward(awardDeps(), actor, path.awardId ?? "") };
  },
});
