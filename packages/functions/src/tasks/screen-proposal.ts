import { ProposalId, screenProposal } from "@allot/core/proposal";
import { z } from "zod";
import { proposalDeps } from "../lib/deps.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ proposalId: ProposalId }), ({ proposalId }) =>
  screenProposal(proposalDeps(), proposalId),
);
