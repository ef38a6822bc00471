export * from "./commands.js";
export * from "./events.js";
export * from "./ledger.js";
export * from "./ledger-check.js";
export * from "./ports.js";
export * from "./provider.js";
export * from "./schema.js";
