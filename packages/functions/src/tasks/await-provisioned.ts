import { AwardId } from "@allot/core";
import { awaitProvisioned } from "@allot/core/award";
import { z } from "zod";
import { awardDeps } from "../lib/deps-awards.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ awardId: AwardId, taskToken: z.string().min(1) }),
  async ({ awardId, taskToken }) => {
    await awaitProvisioned(awardDeps(), awardId, taskToken);
    return { parked: true };
  },
);
