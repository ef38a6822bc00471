import { AwardId } from "@allot/core";
import { reportCloseoutFailure } from "@allot/core/award";
import { z } from "zod";
import { closeoutDeps } from "../lib/deps-closeout.js";
import { createLogger } from "../lib/logger.js";
import { taskHandler } from "../lib/task.js";

const logger = createLogger("allot-closeout");

// The Catch that led here put the failed step's error in the input. Its Cause can hold a stack
// trace with server paths: it is logged for staff, and only the error's name reaches the award.
const Input = z.object({
  awardId: AwardId,
  error: z
    .object({ Error: z.string().max(256).optional(), Cause: z.string().max(32_768).optional() })
    .optional(),
});

export const handler = taskHandler(Input, ({ awardId, error }) => {
  logger.error("closeout failed for good", { awardId, error: error?.Error, cause: error?.Cause });
  return reportCloseoutFailure(closeoutDeps(), awardId, error?.Error ?? "States.TaskFailed");
});
