import type { PaperRef, RepositoryRef } from "./verification-ports.js";

// The identifiers grantees paste, in the forms they paste them (doi.org links, "arXiv:" prefixes,
// versioned ids, GitHub URLs with ".git" or a path), reduced to one canonical form each, so that
// the same paper or repository registered twice is recognizably the same output.

const DOI_PREFIXES = [/^https?:\/\/(dx\.)?doi\.org\//i, /^doi:\s*/i];
/** The DOI Handbook's syntax: "10." and a registrant code, "/", then any printable suffix. */
const DOI = /^10\.\d{4,9}(\.\d+)*\/\S+$/;

/**
 * A DOI in its canonical form ("10.1234/abc", lower case: DOIs are case-insensitive), from a bare
 * DOI, "doi:…" or a doi.org URL (percent-encoding undone); undefined when it is not a DOI.
 */
export const normalizeDoi = (input: string): string | undefined => {
  let text = input.trim();
  for (const prefix of DOI_PREFIXES) text = text.replace(prefix, "");
  try {
    text = decodeURIComponent(text);
  } catch {
    return undefined;
  }
  return DOI.test(text) && text.length <= 300 ? text.toLowerCase() : undefined;
};

const ARXIV_PREFIXES = [/^https?:\/\/(www\.|export\.)?arxiv\.org\/(abs|pdf)\//i, /^arxiv:\s*/i];
/** Identifiers since 2007 ("2401.01234", four-digit numbers until 2014) and the older "hep-th/9901001". */
const ARXIV_NEW = /^(\d{4}\.\d{4,5})(v\d+)?$/;
const ARXIV_OLD = /^([a-z-]+(\.[A-Z]{2})?\/\d{7})(v\d+)?$/;

/**
 * An arXiv identifier without its version ("2401.01234" from "arXiv:2401.01234v2" or an abs/pdf
 * URL): the paper is the same across versions. Undefined when it is not an arXiv id.
 */
export const normalizeArxivId = (input: string): string | undefined => {
  let text = input.trim();
  for (const prefix of ARXIV_PREFIXES) text = text.replace(prefix, "");
  text = text.replace(/\.pdf$/i, "");
  return ARXIV_NEW.exec(text)?.[1] ?? ARXIV_OLD.exec(text)?.[1];
};

/** A DOI or an arXiv id in any of the forms above, as the registry port takes it. */
export const parsePaperRef = (input: string): PaperRef | undefined => {
  const doi = normalizeDoi(input);
  if (doi) return { kind: "doi", doi };
  const arxivId = normalizeArxivId(input);
  return arxivId ? { kind: "arxiv", arxivId } : undefined;
};

/** GitHub's rules: owners are alphanumerics and single inner hyphens (≤ 39), names [A-Za-z0-9._-] (≤ 100). */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The repository a GitHub URL names ("https://github.com/owner/name", with or without ".git",
 * a trailing path such as "/tree/main", or the scheme), or "owner/name"; undefined otherwise.
 */
export const parseGitHubRepository = (input: string): RepositoryRef | undefined => {
  const text = input
    .trim()
    .replace(/^git@github\.com:/i, "")
    .replace(/^(https?:\/\/)?(www\.)?github\.com\//i, "");
  const [owner = "", rawName = ""] = text.split(/[/?#]/);
  const name = rawName.replace(/\.git$/i, "");
  if (!OWNER.test(owner) || !NAME.test(name) || name === "." || name === "..") return undefined;
  return { owner, name };
};
