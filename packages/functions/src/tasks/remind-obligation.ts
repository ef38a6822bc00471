import { remindObligation } from "@allot/core/notification";
import { OutputKind } from "@allot/core/output";
import { z } from "zod";
import { outputNotificationDeps } from "../lib/deps-outputs.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ awardId: z.string().min(1), obligation: OutputKind, at: z.iso.datetime() }),
  ({ awardId, obligation, at }) => remindObligation(outputNotificationDeps(), awardId, obligation, at),
);
