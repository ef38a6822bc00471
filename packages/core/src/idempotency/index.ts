export * from "./key.js";
export * from "./ports.js";
