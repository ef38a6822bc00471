import { ConflictDeclaration, declareConflict } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { AssignmentView } from "../../responses/reviews.js";

export const handler = httpHandler({
  responses: { 200: AssignmentView },
  body: ConflictDeclaration,
  handle: async ({ actor, body, path }) => ({
    body: await declareConflict(reviewDeps(), actor, path.assignmentId ?? "", body.reason),
  }),
});
