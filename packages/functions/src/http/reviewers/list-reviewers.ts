import { listReviewerProfiles } from "@allot/core/review";
import { reviewerDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor }) => ({ body: { items: await listReviewerProfiles(reviewerDeps(), actor) } }),
});
