import { BudgetCommitted } from "@allot/core/award";
import { resumeReservations } from "@allot/core/reservation";
import { reservationDeps } from "../lib/deps-reservations.js";
import { onEvent } from "../lib/event.js";

// The rule selects top-ups only; the check keeps a mis-routed commit from resuming anything.
export const handler = onEvent(BudgetCommitted, async (data, { eventId }) => {
  if (data.kind === "topup") await resumeReservations(reservationDeps(), data.awardId, eventId);
});
