export * from "./commands.js";
export * from "./endpoint.js";
export * from "./events.js";
export * from "./payload.js";
export * from "./ports.js";
export * from "./subscription.js";
