export * from "./commands.js";
export * from "./on-award-events.js";
export * from "./on-events.js";
export * from "./on-usage-events.js";
export * from "./ports.js";
export * from "./rfc5322.js";
export * from "./schema.js";
export * from "./templates.js";
