import { getReviewerProfile } from "@allot/core/review";
import { reviewerDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({
    body: await getReviewerProfile(reviewerDeps(), actor, path.reviewerId ?? ""),
  }),
});
