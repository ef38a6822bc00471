export * from "./commands.js";
export * from "./events.js";
export * from "./institutions.js";
export * from "./ports.js";
export * from "./schema.js";
