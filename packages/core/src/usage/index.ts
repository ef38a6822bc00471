export * from "./burn-down.js";
export * from "./commands.js";
export * from "./events.js";
export * from "./identity.js";
export * from "./period.js";
export * from "./ports.js";
export * from "./schema.js";
export * from "./unfinished.js";
