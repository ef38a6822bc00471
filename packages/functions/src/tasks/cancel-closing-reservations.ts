import { AwardId } from "@allot/core";
import { releaseForCloseout } from "@allot/core/reservation";
import { z } from "zod";
import { reservationDeps } from "../lib/deps-reservations.js";
import { taskHandler } from "../lib/task.js";

export const handler = taskHandler(z.object({ awardId: AwardId }), ({ awardId }) =>
  releaseForCloseout(reservationDeps(), awardId),
);
