import { AwardId } from "@allot/core";
import { closeAward } from "@allot/core/award";
import { z } from "zod";
import { closeoutCompliance, closeoutDeps } from "../lib/deps-closeout.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ awardId: AwardId }), ({ awardId }) =>
  closeAward({ ...closeoutDeps(), compliance: closeoutCompliance() }, awardId),
);
