import { normalizeArxivId, normalizeDoi, parseGitHubRepository } from "./identifiers.js";
import type { PaperRef, RepositoryRef } from "./verification-ports.js";

// What a grantee types is normalized (identifiers.ts) to one identity per work, so that
// "https://doi.org/10.1/X", "doi:10.1/x" and "10.1/X" are the same paper and a retried
// registration lands on one output. A parser answers the reference or what to type instead.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const parsed = <T>(value: T | undefined, message: string): Parsed<T> =>
  value === undefined ? { ok: false, message } : { ok: true, value };

export const parseDoi = (input: string): Parsed<Extract<PaperRef, { kind: "doi" }>> => {
  const doi = normalizeDoi(input);
  return parsed(
    doi === undefined ? undefined : { kind: "doi", doi },
    'must be a DOI such as "10.1234/abc.5678" (a doi.org link or "doi:" prefix is accepted)',
  );
};

export const parseArxivId = (input: string): Parsed<Extract<PaperRef, { kind: "arxiv" }>> => {
  const arxivId = normalizeArxivId(input);
  return parsed(
    arxivId === undefined ? undefined : { kind: "arxiv", arxivId },
    'must be an arXiv id such as "2401.01234" or "hep-th/9901001" (an arxiv.org link is accepted)',
  );
};

export const parseRepositoryUrl = (input: string): Parsed<RepositoryRef> =>
  parsed(
    /github\.com[/:]/i.test(input) ? parseGitHubRepository(input) : undefined,
    'must be a GitHub repository URL such as "https://github.com/owner/repository"',
  );

/** The identity one output per award is keyed by; GitHub names are case-insensitive, so lower-cased. */
export const paperIdentity = (ref: PaperRef) =>
  ref.kind === "doi" ? `doi:${ref.doi}` : `arxiv:${ref.arxivId.toLowerCase()}`;
export const repositoryIdentity = (ref: RepositoryRef) =>
  `github:${ref.owner.toLowerCase()}/${ref.name.toLowerCase()}`;
export const repositoryUrl = (ref: RepositoryRef) => `https://github.com/${ref.owner}/${ref.name}`;
