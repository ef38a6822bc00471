import { BudgetCommitted, settleConsumption } from "@allot/core/award";
import { settlementDeps } from "../lib/deps-awards.js";
import { onEvent } from "../lib/event.js";

// A top-up (staff's, or an approved supplement) may bring an award back under 100 %: settling
// takes the overage into the new credits and reactivates the project when they cover it.
export const handler = onEvent(BudgetCommitted, async (data) => {
  if (data.kind === "topup") await settleConsumption(settlementDeps(), data.awardId, "top-up");
});
