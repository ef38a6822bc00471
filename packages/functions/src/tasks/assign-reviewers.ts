import { ProposalId } from "@allot/core/proposal";
import { assignReviewers } from "@allot/core/review";
import { z } from "zod";
import { reviewDeps } from "../lib/deps.js";
import { tellStory } from "../lib/story.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ proposalId: ProposalId }),
  async ({ proposalId }, { logger }) => {
    const result = await assignReviewers(reviewDeps(), proposalId);
    tellStory(logger, "assigned", {
      proposalId,
      reviewers: result.slots.length,
      complete: result.complete,
      shortBy: result.shortBy,
    });
    return result;
  },
);
