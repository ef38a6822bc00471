export * from "./define.js";
export * from "./sources.js";
