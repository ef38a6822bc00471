import { readAward } from "@allot/core/award";
import { awardReadDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";
import { AwardView } from "../../responses/awards.js";

export const handler = httpHandler({
  responses: { 200: AwardView },
  handle: async ({ actor, path }) => ({ body: await readAward(awardReadDeps(), actor, path.awardId ?? "") }),
});
