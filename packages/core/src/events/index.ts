export * from "./correlation.js";
export * from "./define.js";
export * from "./sources.js";
