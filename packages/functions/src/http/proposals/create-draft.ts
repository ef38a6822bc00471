import { createDraft, ProposalDraft } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { proposalDeps, reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
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
