import { Extension, extendAward, readAward } from "@allot/core/award";
import { awardDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  body: Extension,
  handle: async ({ actor, body, path }) => {
    await extendAward(awardDeps(), actor, path.awardId ?? "", body);
    return { body: await readAward(awardDeps(), actor, path.awardId ?? "") };
  },
});
