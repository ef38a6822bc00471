export * from "./budget.js";
export * from "./commands.js";
export * from "./csv.js";
export * from "./funnel.js";
export * from "./periods.js";
export * from "./ports.js";
export * from "./schema.js";
export * from "./utilization.js";
