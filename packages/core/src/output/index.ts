export * from "./license-policy.js";
export * from "./ports.js";
