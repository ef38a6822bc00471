import { ProposalId } from "@allot/core/proposal";
import { awaitReview } from "@allot/core/review";
import { z } from "zod";
import { reviewDeps } from "../lib/deps.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ proposalId: ProposalId, slot: z.number().int().nonnegative(), taskToken: z.string().min(1) }),
  async (input) => {
    await awaitReview(reviewDeps(), input);
    return { parked: true };
  },
);
