import { AwardId } from "@allot/core";
import { settleCloseoutUsage } from "@allot/core/award";
import { z } from "zod";
import { closeoutDeps, closeoutSettlement } from "../lib/deps-closeout.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ awardId: AwardId }), ({ awardId }) =>
  settleCloseoutUsage({ ...closeoutDeps(), settlement: closeoutSettlement() }, awardId),
);
