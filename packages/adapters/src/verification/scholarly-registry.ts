import {
  normalizeArxivId,
  normalizeDoi,
  type PaperLookup,
  type PaperMetadata,
  type ScholarlyRegistry,
  VerificationUnavailable,
} from "@allot/core/output";
import type { ZodError } from "zod";
import {
  type HttpClientOptions,
  type HttpGet,
  httpClient,
  jsonBody,
  startBudget,
  unexpected,
} from "./http.js";
import { parseArxivFeed, parseCrossrefWork, parseDataciteDoi } from "./shapes.js";

export interface ScholarlyRegistryOptions {
  crossrefUrl: string;
  dataciteUrl: string;
  arxivUrl: string;
  /** Sent to every registry; Crossref asks for a contact ("mailto:") to serve from its polite pool. */
  userAgent: string;
  http?: Omit<HttpClientOptions, "service" | "headers">;
  now?: () => Date;
}

/** A DOI in a URL path: each segment encoded, the slashes kept (both registries accept that form). */
const doiPath = (doi: string) => doi.split("/").map(encodeURIComponent).join("/");

/** A shape that does not match is the service's fault, reported as unavailable. */
const parsed = <T>(service: string, parse: () => T): T => {
  try {
    return parse();
  } catch (error) {
    const detail = (error as ZodError).issues?.[0];
    throw new VerificationUnavailable(
      service,
      `${service} answered in an unexpected shape${detail ? ` (${detail.path.join(".")}: ${detail.message})` : ""}`,
    );
  }
};

/**
 * Crossref, then DataCite for a DOI (the two registries that mint most research DOIs; a DOI
 * one does not know answers 404 there); the arXiv API for an arXiv id.
 */
export const httpScholarlyRegistry = (options: ScholarlyRegistryOptions): ScholarlyRegistry => {
  const now = options.now ?? (() => new Date());
  const client = (service: string, accept: string): HttpGet =>
    httpClient({ ...options.http, service, headers: { accept, "user-agent": options.userAgent } });
  const crossref = client("crossref", "application/json");
  const datacite = client("datacite", "application/vnd.api+json");
  const arxiv = client("arxiv", "application/atom+xml");

  /** The DOI's metadata from one registry, undefined on 404. */
  const fromDoiRegistry = async (
    service: "crossref" | "datacite",
    get: HttpGet,
    url: string,
    parse: (body: unknown) => PaperMetadata,
    deadline: number,
  ): Promise<PaperMetadata | undefined> => {
    const answer = await get(url, {}, deadline);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw unexpected(service, answer);
    return parsed(service, () => parse(jsonBody(service, answer)));
  };

  const lookUpDoi = async (doi: string, deadline: number): Promise<PaperMetadata | undefined> => {
    let crossrefDown: VerificationUnavailable | undefined;
    try {
      const found = await fromDoiRegistry(
        "crossref",
        crossref,
        `${options.crossrefUrl}/works/${doiPath(doi)}`,
        parseCrossrefWork,
        deadline,
      );
      if (found) return found;
    } catch (error) {
      if (!(error instanceof VerificationUnavailable)) throw error;
      // DataCite may still know the DOI; only its 404 cannot settle the question without Crossref.
      crossrefDown = error;
    }
    const found = await fromDoiRegistry(
      "datacite",
      datacite,
      `${options.dataciteUrl}/dois/${doiPath(doi)}`,
      parseDataciteDoi,
      deadline,
    );
    if (!found && crossrefDown) throw crossrefDown;
    return found;
  };

  const lookUpArxiv = async (id: string, deadline: number): Promise<PaperMetadata | undefined> => {
    const answer = await arxiv(
      `${options.arxivUrl}/api/query?id_list=${encodeURIComponent(id)}&max_results=1`,
      {},
      deadline,
    );
    // The API answers a malformed id with 400 and an error entry: that id names no paper.
    if (answer.status === 400 || answer.status === 404) return undefined;
    if (answer.status !== 200) throw unexpected("arxiv", answer);
    return parsed("arxiv", () => parseArxivFeed(answer.body));
  };

  return {
    async lookUp(ref): Promise<PaperLookup> {
      const id = ref.kind === "doi" ? normalizeDoi(ref.doi) : normalizeArxivId(ref.arxivId);
      const deadline = startBudget(options.http?.policy);
      const metadata =
        id === undefined ? undefined : await (ref.kind === "doi" ? lookUpDoi : lookUpArxiv)(id, deadline);
      const checkedAt = now().toISOString();
      return metadata ? { found: true, metadata, checkedAt } : { found: false, checkedAt };
    },
  };
};
