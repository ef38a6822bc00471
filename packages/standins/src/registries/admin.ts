import { z } from "zod";

// The stand-in's admin API, the one way tests and demonstrations tell it what the world looks
// like: which papers the registries know, which repositories GitHub has, and how the services
// fail. The schemas are shared by the server and the typed client below.

export const registryServices = ["crossref", "datacite", "arxiv", "github"] as const;
export type RegistryService = (typeof registryServices)[number];

const text = z.string().trim().min(1).max(1_000);

export const paperSchema = z
  .strictObject({
    doi: z.string().trim().min(1).max(300).optional(),
    arxivId: z.string().trim().min(1).max(100).optional(),
    registry: z.enum(["crossref", "datacite", "arxiv"]),
    title: text,
    /** Display names, "Given Family"; rendered in each registry's own author shape. */
    authors: z.array(text).max(100).default([]),
    year: z.number().int().min(1000).max(9999).optional(),
    venue: text.optional(),
  })
  .refine((p) => (p.registry === "arxiv" ? p.arxivId !== undefined : p.doi !== undefined), {
    message: "a crossref or datacite paper needs a doi, an arxiv paper an arxivId",
  });
export type PaperInput = z.input<typeof paperSchema>;
export type Paper = z.output<typeof paperSchema>;

export const repositorySchema = z.strictObject({
  owner: z.string().trim().min(1).max(39),
  name: z.string().trim().min(1).max(100),
  visibility: z.enum(["public", "private"]),
  /** What GitHub's license detection says: an SPDX id, "NOASSERTION", or null for no license file. */
  spdxId: z.string().trim().min(1).max(200).nullable(),
  /** The default branch's head; a new one is made up on each change when absent. */
  commitSha: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  defaultBranch: z.string().trim().min(1).max(200).default("main"),
});
export type RepositoryInput = z.input<typeof repositorySchema>;
export type Repository = z.output<typeof repositorySchema>;

export const faultSchema = z.union([
  z.strictObject({
    service: z.enum(registryServices),
    /** 429 and 503 as any service sends them; 403 as GitHub's rate limit (x-ratelimit-remaining: 0). */
    status: z.union([z.literal(429), z.literal(403), z.literal(503)]),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    times: z.number().int().min(1).max(1_000),
  }),
  z.strictObject({
    service: z.enum(registryServices),
    /** The answer comes this late (callers with a shorter timeout give up first). */
    timeoutMs: z.number().int().min(1).max(600_000),
    times: z.number().int().min(1).max(1_000),
  }),
]);
export type Fault = z.infer<typeof faultSchema>;

/** Requests each service has received (faulted ones included), since start or the last reset. */
export type RequestCounts = Record<RegistryService, number>;

/** A typed client of the admin API, for tests and scripts. */
export const registriesAdmin = (baseUrl: string) => {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`registries stand-in: ${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return {
    putPaper: (paper: PaperInput) => call("PUT", "/_admin/papers", paper),
    putRepository: (repository: RepositoryInput) => call("PUT", "/_admin/repositories", repository),
    deleteRepository: (owner: string, name: string) =>
      call("DELETE", `/_admin/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`),
    putFault: (fault: Fault) => call("PUT", "/_admin/faults", fault),
    clearFaults: () => call("DELETE", "/_admin/faults"),
    requests: async () => (await call("GET", "/_admin/requests")) as RequestCounts,
    resetRequests: () => call("DELETE", "/_admin/requests"),
    /** Forgets papers, repositories, faults and counts. */
    reset: () => call("DELETE", "/_admin"),
  };
};
export type RegistriesAdmin = ReturnType<typeof registriesAdmin>;
