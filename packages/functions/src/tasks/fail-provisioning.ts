import { AwardId } from "@allot/core";
import { failProvisioning } from "@allot/core/award";
import { z } from "zod";
import { awardDeps } from "../lib/deps-awards.js";
import { createLogger } from "../lib/logger.js";
import { taskHandler } from "../lib/task.js";

const logger = createLogger("allot-provisioning");

// The Catch that led here put the failed step's error in the input. Its Cause can hold a stack
// trace with server paths: it is logged for staff, and only the error's name reaches the award.
const Input = z.object({
  awardId: AwardId,
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export const handler = taskHandler(Input, ({ awardId, error }) => {
  logger.error("provisioning failed for good", { awardId, error: error?.Error, cause: error?.Cause });
  return failProvisioning(awardDeps(), awardId, error?.Error);
});
