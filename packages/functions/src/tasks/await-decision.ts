import { awaitDecision, ProposalId } from "@allot/core/proposal";
import { z } from "zod";
import { reviewDeps } from "../lib/deps.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ proposalId: ProposalId, taskToken: z.string().min(1) }),
  async ({ proposalId, taskToken }) => {
    await awaitDecision(reviewDeps(), proposalId, taskToken);
    return { parked: true };
  },
);
