import { WorkflowErrors } from "@allot/core";
import { BudgetExhausted, commitAward } from "@allot/core/award";
import { ProposalId } from "@allot/core/proposal";
import { z } from "zod";
import { awardDeps } from "../lib/deps-awards.js";
import { businessMetric } from "../lib/metrics.js";
import { tellStory } from "../lib/story.js";
import { TaskError, taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ proposalId: ProposalId }),
  async ({ proposalId }, { logger }) => {
    try {
      const committed = await commitAward(awardDeps(), proposalId);
      tellStory(logger, "committed", { proposalId, awardId: committed.awardId });
      businessMetric("awardCommitted");
      return committed;
    } catch (error) {
      // The ASL catches this by name and puts the decision back before the committee.
      if (error instanceof BudgetExhausted)
        throw new TaskError(WorkflowErrors.budgetExhausted, error.message);
      throw error;
    }
  },
);
