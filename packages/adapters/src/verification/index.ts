export { GITHUB_API_VERSION, type GitHubOptions, gitHubCodeHost } from "./code-host.js";
export { gitHubTokenFromEnv, REGISTRY_DEFAULTS, verificationPortsFromEnv } from "./from-env.js";
export { DEFAULT_HTTP_POLICY, type HttpPolicy } from "./http.js";
export { httpScholarlyRegistry, type ScholarlyRegistryOptions } from "./scholarly-registry.js";
export { readSstLinkedValue } from "./sst-link.js";
