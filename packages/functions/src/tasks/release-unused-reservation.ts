import { releaseIfUnused } from "@allot/core/reservation";
import { z } from "zod";
import { reservationDeps } from "../lib/deps-reservations.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(
  z.object({ awardId: z.string().min(1), reservationId: z.string().min(1) }),
  (input) => releaseIfUnused(reservationDeps(), input.awardId, input.reservationId),
);
