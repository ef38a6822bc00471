import { AwardId } from "@allot/core";
import { completeProvisioning } from "@allot/core/award";
import { ProposalId } from "@allot/core/proposal";
import { z } from "zod";
import { awardDeps } from "../lib/deps-awards.js";
import { providerErrors } from "../lib/provider-errors.js";
import { tellStory } from "../lib/story.js";
import { taskHandler } from "../lib/task.js";

// The proposal id is for the story line only (the machine passes its execution's).
export const handler = taskHandler(
  z.object({ awardId: AwardId, proposalId: ProposalId.optional() }),
  async ({ awardId, proposalId }, { logger }) => {
    const result = await providerErrors(() => completeProvisioning(awardDeps(), awardId));
    tellStory(logger, "provisioned", { proposalId: proposalId ?? "", awardId });
    return result;
  },
);
