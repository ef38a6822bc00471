import { listReviewerProfiles } from "@allot/core/review";
import { reviewerDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { itemsOf } from "../../responses/common.js";
import { ReviewerProfileView } from "../../responses/programs.js";

export const handler = httpHandler({
  responses: { 200: itemsOf(ReviewerProfileView) },
  handle: async ({ actor }) => ({ body: { items: await listReviewerProfiles(reviewerDeps(), actor) } }),
});
