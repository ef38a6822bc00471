import { ReviewerPoolExtended } from "@allot/core/program";
import { resumeAwaitingReviewers } from "@allot/core/review";
import { reviewDeps } from "../lib/deps.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ReviewerPoolExtended, ({ callId }) =>
  resumeAwaitingReviewers(reviewDeps(), callId),
);
