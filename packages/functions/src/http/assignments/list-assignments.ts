import { listMyAssignments } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { itemsOf } from "../../responses/common.js";
import { ReviewerAssignment } from "../../responses/reviews.js";

export const handler = httpHandler({
  responses: { 200: itemsOf(ReviewerAssignment) },
  handle: async ({ actor }) => ({ body: { items: await listMyAssignments(reviewDeps(), actor) } }),
});
