import { failProvisioning } from "@allot/core/award";
import { z } from "zod";
import { awardDeps } from "../lib/deps-awards.js";
import { taskHandler } from "../lib/task.js";

// The Catch that led here put the failed step's error in the input; the award keeps it.
const Input = z.object({
  awardId: z.string().regex(/^awd_[0-9a-z]{26}$/),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export const handler = taskHandler(Input, ({ awardId, error }) =>
  failProvisioning(
    awardDeps(),
    awardId,
    [error?.Error, error?.Cause].filter(Boolean).join(": ") || "unknown",
  ),
);
