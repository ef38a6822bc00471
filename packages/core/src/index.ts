export * from "./actor.js";
export * from "./bounds.js";
export * from "./canonical.js";
export * from "./clock.js";
export * from "./duration.js";
export * from "./errors.js";
export * from "./ids.js";
export * from "./roles.js";
