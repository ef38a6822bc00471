import { OutputKind, recordObligationOverdue } from "@allot/core/output";
import { z } from "zod";
import { obligationDeps } from "../lib/deps-outputs.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ awardId: z.string().min(1), obligation: OutputKind, at: z.iso.datetime() }),
  ({ awardId, obligation, at }) => recordObligationOverdue(obligationDeps(), awardId, obligation, at),
);
