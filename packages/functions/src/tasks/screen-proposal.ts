import { ProposalId, screenProposal } from "@allot/core/proposal";
import { z } from "zod";
import { proposalDeps } from "../lib/deps.js";
import { tellStory } from "../lib/story.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ proposalId: ProposalId }),
  async ({ proposalId }, { logger }) => {
    const result = await screenProposal(proposalDeps(), proposalId);
    tellStory(logger, "screened", { proposalId, eligible: result.eligible });
    return result;
  },
);
