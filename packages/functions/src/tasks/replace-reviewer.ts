import { ProposalId } from "@allot/core/proposal";
import { replaceReviewer } from "@allot/core/review";
import { z } from "zod";
import { reviewDeps } from "../lib/deps.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({
    proposalId: ProposalId,
    slot: z.number().int().nonnegative(),
    reason: z.enum(["conflict", "late"]),
  }),
  async (input) => {
    const result = await replaceReviewer(reviewDeps(), input);
    // The ASL selects both fields; a missing one would fail the state, so timing is always there.
    return { replaced: result.replaced, timing: result.timing ?? null };
  },
);
