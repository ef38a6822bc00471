import { readProposal } from "@allot/core/review";
import { reviewDeps, reviewWorkflow } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => {
    const proposal = await readProposal(reviewDeps(), actor, path.proposalId ?? "");
    return { body: await reviewWorkflow().history(proposal.proposalId) };
  },
});
