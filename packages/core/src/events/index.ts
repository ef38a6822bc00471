export * from "./asyncapi.js";
export * from "./catalog.js";
export * from "./compatibility.js";
export * from "./correlation.js";
export * from "./define.js";
export * from "./sources.js";
