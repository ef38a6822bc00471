// Stand-ins for the external services Allot talks to, each a separate service on its own port
// speaking the real protocol, with failure injection; for the local runtime and tests.
export * from "./provider/index.js";
export * from "./registries/index.js";
