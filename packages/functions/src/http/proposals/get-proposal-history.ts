import { readProposal } from "@allot/core/review";
import { reviewDeps, reviewWorkflow } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { WorkflowHistory } from "../../responses/proposals.js";

export const handler = httpHandler({
  responses: { 200: WorkflowHistory },
  handle: async ({ actor, path }) => {
    const proposal = await readProposal(reviewDeps(), actor, path.proposalId ?? "");
    return { body: await reviewWorkflow().history(proposal.proposalId) };
  },
});
