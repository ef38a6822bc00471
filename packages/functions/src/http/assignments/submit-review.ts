import { ReviewSubmission, submitReview } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { AssignmentView } from "../../responses/reviews.js";

// The body's shape is checked here; the scores against the call's rubric in the domain.
export const handler = httpHandler({
  responses: { 200: AssignmentView },
  body: ReviewSubmission,
  handle: async ({ actor, body, path }) => ({
    body: await submitReview(reviewDeps(), actor, path.assignmentId ?? "", body),
  }),
});
