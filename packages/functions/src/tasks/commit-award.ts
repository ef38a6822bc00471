import { WorkflowErrors } from "@allot/core";
import { BudgetExhausted, commitAward } from "@allot/core/award";
import { ProposalId } from "@allot/core/proposal";
import { z } from "zod";
import { awardDeps } from "../lib/deps-awards.js";
import { TaskError, taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ proposalId: ProposalId }), async ({ proposalId }) => {
  try {
    return await commitAward(awardDeps(), proposalId);
  } catch (error) {
    // The ASL catches this by name and puts the decision back before the committee.
    if (error instanceof BudgetExhausted) throw new TaskError(WorkflowErrors.budgetExhausted, error.message);
    throw error;
  }
});
