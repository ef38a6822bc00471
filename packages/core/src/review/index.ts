export * from "./assignment.js";
export * from "./conflicts.js";
export * from "./feedback.js";
export * from "./schema.js";
export * from "./scoring.js";
export * from "./events.js";
