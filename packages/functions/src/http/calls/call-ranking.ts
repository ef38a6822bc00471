import { callRanking } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { itemsOf } from "../../responses/common.js";
import { RankedProposal } from "../../responses/reviews.js";

export const handler = httpHandler({
  responses: { 200: itemsOf(RankedProposal) },
  handle: async ({ actor, path }) => ({
    body: { items: await callRanking(reviewDeps(), actor, path.callId ?? "") },
  }),
});
