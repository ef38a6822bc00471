import { settleAllConsumption } from "@allot/core/award";
import { settlementDeps } from "../lib/deps-awards.js";
import { scheduleHandler } from "../lib/schedule.js";

export const handler = scheduleHandler("settle-consumption", () =>
  settleAllConsumption(settlementDeps(), "daily settlement"),
);
