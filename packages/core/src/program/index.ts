export * from "./events.js";
export * from "./schema.js";
