import { ProposalSubmission, submitProposal } from "@allot/core/proposal";
import { proposalDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/http.js";
import { proposalView } from "../lib/views.js";

export const handler = httpHandler({
  body: ProposalSubmission,
  handle: async ({ actor, body }) => {
    const { proposal, created } = await submitProposal(proposalDeps(), actor, body);
    return {
      status: created ? 201 : 200,
      body: proposalView(proposal),
      headers: { location: `/proposals/${proposal.proposalId}` },
    };
  },
});
