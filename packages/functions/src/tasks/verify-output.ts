import { verifyOutput } from "@allot/core/output";
import { z } from "zod";
import { verificationDeps } from "../lib/deps-verification.js";
import { taskHandler } from "../lib/task.js";

// The machine reads `again`, `attempt` and `retryAt` on every outcome, so each is always there.
export const handler = taskHandler(
  z.object({ awardId: z.string().min(1), outputId: z.string().min(1), attempt: z.number().int().min(1) }),
  async ({ awardId, outputId, attempt }) => {
    const result = await verifyOutput(verificationDeps(), awardId, outputId, attempt);
    return result.outcome === "unavailable"
      ? { ...result, again: !result.giveUp }
      : { ...result, again: false, attempt, retryAt: new Date().toISOString() };
  },
);
