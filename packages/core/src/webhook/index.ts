export * from "./delivery.js";
export * from "./events.js";
export * from "./payload.js";
export * from "./ports.js";
export * from "./retry-policy.js";
export * from "./signing.js";
export * from "./subscription.js";
