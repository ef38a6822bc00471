import { AwardId } from "@allot/core";
import { checkAwardTerm } from "@allot/core/award";
import { z } from "zod";
import { closeoutDeps, closeoutWorkflow } from "../lib/deps-closeout.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ awardId: AwardId }), ({ awardId }) =>
  checkAwardTerm({ ...closeoutDeps(), closeout: closeoutWorkflow() }, awardId),
);
