import { putReviewerProfile, ReviewerProfileFields } from "@allot/core/review";
import { z } from "zod";
import { reviewerDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { ReviewerProfileView } from "../../responses/programs.js";

// The body is validated in core against the path's reviewer id, so one answer names every problem.
export const handler = httpHandler({
  responses: { 201: ReviewerProfileView, 200: ReviewerProfileView },
  body: z.unknown(),
  bodyValidatedInCore: ReviewerProfileFields,
  handle: async ({ actor, body, path }) => {
    const { profile, created } = await putReviewerProfile(reviewerDeps(), actor, path.reviewerId ?? "", body);
    return { status: created ? 201 : 200, body: profile };
  },
});
