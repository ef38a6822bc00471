import { declareConflict } from "@allot/core/review";
import { z } from "zod";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";

export const ConflictDeclaration = z.object({
  reason: z.string().trim().min(3, "say what the conflict is (at least 3 characters)"),
});

export const handler = httpHandler({
  body: ConflictDeclaration,
  handle: async ({ actor, body, path }) => ({
    body: await declareConflict(reviewDeps(), actor, path.assignmentId ?? "", body.reason),
  }),
});
