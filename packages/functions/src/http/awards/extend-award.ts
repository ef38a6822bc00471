import { Extension, extendAward, readAward } from "@allot/core/award";
import { awardDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";
import { operationOf } from "../../lib/idempotency.js";
import { AwardView } from "../../responses/awards.js";

export const handler = httpHandler({
  responses: { 200: AwardView },
  body: Extension,
  handle: async (request) => {
    const { actor, body, path } = request;
    await extendAward(awardDeps(), actor, path.awardId ?? "", body, operationOf(request));
    return { body: await readAward(awardDeps(), actor, path.awardId ?? "") };
  },
});
