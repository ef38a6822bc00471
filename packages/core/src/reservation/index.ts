export * from "./commands.js";
export * from "./events.js";
export * from "./ports.js";
export * from "./schema.js";
