import { addReviewersToPool, PoolExtension } from "@allot/core/call";
import { callDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { ReviewerPoolAnswer } from "../../responses/programs.js";

export const handler = httpHandler({
  responses: { 200: ReviewerPoolAnswer },
  body: PoolExtension,
  handle: async ({ actor, body, path }) => ({
    body: await addReviewersToPool(callDeps(), actor, path.callId ?? "", body.reviewerIds),
  }),
});
