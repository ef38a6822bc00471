import { ProposalId } from "@allot/core/proposal";
import { remindReviewer } from "@allot/core/review";
import { z } from "zod";
import { reviewDeps } from "../lib/deps.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ proposalId: ProposalId, slot: z.number().int().nonnegative() }),
  (input) => remindReviewer(reviewDeps(), input),
);
