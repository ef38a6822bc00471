import { AwardId } from "@allot/core";
import { returnUnusedCredits } from "@allot/core/award";
import { z } from "zod";
import { closeoutDeps } from "../lib/deps-closeout.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ awardId: AwardId, consumedCents: z.number().int().nonnegative() }),
  ({ awardId, consumedCents }) => returnUnusedCredits(closeoutDeps(), awardId, consumedCents),
);
