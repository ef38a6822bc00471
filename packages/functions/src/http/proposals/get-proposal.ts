import { readProposal } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { ProposalView } from "../../responses/proposals.js";

export const handler = httpHandler({
  responses: { 200: ProposalView },
  handle: async ({ actor, path }) => ({
    body: await readProposal(reviewDeps(), actor, path.proposalId ?? ""),
  }),
});
