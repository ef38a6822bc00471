import { AwardId } from "@allot/core";
import { deprovisionAward } from "@allot/core/award";
import { z } from "zod";
import { awardDeps } from "../lib/deps-awards.js";
import { providerErrors } from "../lib/provider-errors.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ awardId: AwardId }), ({ awardId }) =>
  providerErrors(() => deprovisionAward(awardDeps(), awardId, "compensation after a failed provisioning")),
);
