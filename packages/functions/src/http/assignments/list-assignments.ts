import { listMyAssignments } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor }) => ({ body: { items: await listMyAssignments(reviewDeps(), actor) } }),
});
