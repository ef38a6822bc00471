import { ReviewSubmission, submitReview } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";

// The body's shape is checked here; the scores against the call's rubric in the domain.
export const handler = httpHandler({
  body: ReviewSubmission,
  handle: async ({ actor, body, path }) => ({
    body: await submitReview(reviewDeps(), actor, path.assignmentId ?? "", body),
  }),
});
