import { OutputKind, planObligation } from "@allot/core/output";
import { z } from "zod";
import { obligationDeps } from "../lib/deps-outputs.js";
import { taskHandler } from "../lib/task.js";

// The machine selects `step` and `at` from every answer: "done" carries an empty `at`.
export const handler = taskHandler(
  z.object({ awardId: z.string().min(1), obligation: OutputKind, after: z.string() }),
  async ({ awardId, obligation, after }) => {
    const next = await planObligation(obligationDeps(), awardId, obligation, after);
    return next.step === "done" ? { step: "done", at: "" } : next;
  },
);
