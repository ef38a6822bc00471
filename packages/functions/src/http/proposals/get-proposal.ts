import { readProposal } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({
    body: await readProposal(reviewDeps(), actor, path.proposalId ?? ""),
  }),
});
