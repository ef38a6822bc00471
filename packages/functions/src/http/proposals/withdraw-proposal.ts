import { withdrawProposal } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { z } from "zod";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";

export const WithdrawalRequest = z.object({ reason: z.string().trim().min(3, "say why (at least 3 characters)") });

export const handler = httpHandler({
  body: WithdrawalRequest,
  handle: async ({ actor, body, path }) => {
    const proposal = await withdrawProposal(reviewDeps(), actor, path.proposalId ?? "", body.reason);
    return { body: await readProposal(reviewDeps(), actor, proposal.proposalId) };
  },
});
