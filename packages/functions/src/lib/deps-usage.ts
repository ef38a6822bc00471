import { dynamoAwardRepository, dynamoUsageRepository } from "@allot/adapters";
import { systemClock } from "@allot/core";
import type { UsageDeps } from "@allot/core/usage";
import { doc, once, tableName } from "./deps.js";

// Thresholds are the defaults (50/80/95/100) until programs carry their own list.
export const usageDeps = once(
  (): UsageDeps => ({
    awards: dynamoAwardRepository(doc(), tableName()),
    usage: dynamoUsageRepository(doc(), tableName()),
    clock: systemClock,
  }),
);
