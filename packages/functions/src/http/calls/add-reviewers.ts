import { addReviewersToPool, PoolExtension } from "@allot/core/call";
import { callDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  body: PoolExtension,
  handle: async ({ actor, body, path }) => ({
    body: await addReviewersToPool(callDeps(), actor, path.callId ?? "", body.reviewerIds),
  }),
});
