export * from "./identifiers.js";
export * from "./license-policy.js";
export * from "./ports.js";
