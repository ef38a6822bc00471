import { AwardId } from "@allot/core";
import { inactivateClosedProject } from "@allot/core/award";
import { z } from "zod";
import { awardDeps } from "../lib/deps-awards.js";
import { closeoutDeps } from "../lib/deps-closeout.js";
import { providerErrors } from "../lib/provider-errors.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ awardId: AwardId }), ({ awardId }) =>
  providerErrors(() =>
    inactivateClosedProject({ ...closeoutDeps(), provider: awardDeps().provider }, awardId),
  ),
);
