import { ProposalId } from "@allot/core/proposal";
import { scoreProposal } from "@allot/core/review";
import { z } from "zod";
import { reviewDeps } from "../lib/deps.js";
import { tellStory } from "../lib/story.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ proposalId: ProposalId }),
  async ({ proposalId }, { logger }) => {
    const score = await scoreProposal(reviewDeps(), proposalId);
    tellStory(logger, "scored", { proposalId });
    return score;
  },
);
