import { AwardId } from "@allot/core";
import { settleCloseoutCash } from "@allot/core/award";
import { z } from "zod";
import { closeoutDeps, closeoutSettlement } from "../lib/deps-closeout.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ awardId: AwardId }), ({ awardId }) =>
  settleCloseoutCash({ ...closeoutDeps(), settlement: closeoutSettlement() }, awardId),
);
