import { createDraft, ProposalDraft } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { proposalDeps, reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { ProposalView } from "../../responses/proposals.js";

export const handler = httpHandler({
  responses: { 201: ProposalView, 200: ProposalView },
  body: ProposalDraft,
  handle: async ({ actor, body }) => {
    const { proposal, created } = await createDraft(proposalDeps(), actor, body);
    return {
      status: created ? 201 : 200,
      body: await readProposal(reviewDeps(), actor, proposal.proposalId),
      headers: { location: `/proposals/${proposal.proposalId}` },
    };
  },
});
