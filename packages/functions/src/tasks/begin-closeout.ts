import { AwardId } from "@allot/core";
import { beginCloseout } from "@allot/core/award";
import { z } from "zod";
import { closeoutDeps } from "../lib/deps-closeout.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ awardId: AwardId, reason: z.string().min(1).max(2000), early: z.boolean() }),
  ({ awardId, reason, early }) => beginCloseout(closeoutDeps(), awardId, reason, early),
);
