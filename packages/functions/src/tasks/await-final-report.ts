import { AwardId } from "@allot/core";
import { awaitFinalReport } from "@allot/core/award";
import { z } from "zod";
import { closeoutDeps, closeoutWorkflow } from "../lib/deps-closeout.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ awardId: AwardId, taskToken: z.string().min(1) }),
  async ({ awardId, taskToken }) => {
    await awaitFinalReport({ ...closeoutDeps(), workflow: closeoutWorkflow() }, awardId, taskToken);
    return { parked: true };
  },
);
