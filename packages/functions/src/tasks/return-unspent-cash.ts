import { AwardId } from "@allot/core";
import { returnUnspentCash } from "@allot/core/award";
import { z } from "zod";
import { closeoutDeps } from "../lib/deps-closeout.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ awardId: AwardId }), ({ awardId }) =>
  returnUnspentCash(closeoutDeps(), awardId),
);
