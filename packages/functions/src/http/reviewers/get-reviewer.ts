import { getReviewerProfile } from "@allot/core/review";
import { reviewerDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { ReviewerProfileView } from "../../responses/programs.js";

export const handler = httpHandler({
  responses: { 200: ReviewerProfileView },
  handle: async ({ actor, path }) => ({
    body: await getReviewerProfile(reviewerDeps(), actor, path.reviewerId ?? ""),
  }),
});
