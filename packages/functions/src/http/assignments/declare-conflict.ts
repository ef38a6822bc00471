import { ConflictDeclaration, declareConflict } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  body: ConflictDeclaration,
  handle: async ({ actor, body, path }) => ({
    body: await declareConflict(reviewDeps(), actor, path.assignmentId ?? "", body.reason),
  }),
});
