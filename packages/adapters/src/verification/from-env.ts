import type { CodeHost, ScholarlyRegistry } from "@allot/core/output";
import { GITHUB_TOKEN_SECRET, registriesEnv } from "@allot/stacks/env";
import { gitHubCodeHost } from "./code-host.js";
import type { HttpPolicy } from "./http.js";
import { httpScholarlyRegistry } from "./scholarly-registry.js";
import { readSstLinkedValue } from "./sst-link.js";

/** The real services; a `{ kind: "registries" }` link points them at the stand-in locally. */
export const REGISTRY_DEFAULTS = {
  crossref: "https://api.crossref.org",
  datacite: "https://api.datacite.org",
  arxiv: "https://export.arxiv.org",
  github: "https://api.github.com",
} as const;

// GitHub refuses requests without a User-Agent; Crossref asks clients to say who they are.
const USER_AGENT = "Allot-verification/1.0 (research grant output checks)";

const baseUrl = (env: NodeJS.ProcessEnv, name: string, fallback: string) =>
  (env[name]?.trim() || fallback).replace(/\/+$/, "");

/**
 * The GitHub token, read once per container (the code host caches it): on AWS from the
 * per-stage SST secret infra links to the function (encrypted in the code package, not in the
 * environment), elsewhere from ALLOT_GITHUB_TOKEN when the operator sets one. An empty value
 * means "no token".
 */
export const gitHubTokenFromEnv =
  (env: NodeJS.ProcessEnv = process.env) =>
  async () =>
    (readSstLinkedValue(GITHUB_TOKEN_SECRET, env) ?? env[registriesEnv.githubToken])?.trim() || undefined;

/** The verification ports of a function that declares the `{ kind: "registries" }` link. */
export const verificationPortsFromEnv = (
  env: NodeJS.ProcessEnv = process.env,
  http?: { policy?: Partial<HttpPolicy> },
): { registry: ScholarlyRegistry; codeHost: CodeHost } => ({
  registry: httpScholarlyRegistry({
    crossrefUrl: baseUrl(env, registriesEnv.crossref, REGISTRY_DEFAULTS.crossref),
    dataciteUrl: baseUrl(env, registriesEnv.datacite, REGISTRY_DEFAULTS.datacite),
    arxivUrl: baseUrl(env, registriesEnv.arxiv, REGISTRY_DEFAULTS.arxiv),
    userAgent: USER_AGENT,
    ...(http ? { http } : {}),
  }),
  codeHost: gitHubCodeHost({
    apiUrl: baseUrl(env, registriesEnv.github, REGISTRY_DEFAULTS.github),
    userAgent: USER_AGENT,
    token: gitHubTokenFromEnv(env),
    ...(http ? { http } : {}),
  }),
});
