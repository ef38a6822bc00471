import type { PaperRef, RepositoryRef } from "./ports.js";

// What a grantee types is normalized to one identity per work, so that "https://doi.org/10.1/X",
// "doi:10.1/x" and "10.1/X" are the same paper and a retried registration lands on one output.
// A parser answers the identity or a sentence saying what to fix.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** DOIs are case-insensitive (the DOI Handbook, 2.4): kept lower-case, as the registries match them. */
const DOI = /^10\.\d{4,9}\/[^\s]+$/;

export const parseDoi = (input: string): Parsed<Extract<PaperRef, { kind: "doi" }>> => {
  const doi = input
    .trim()
    .replace(/^https?:\/\/(dx\.)?doi\.org\//i, "")
    .replace(/^doi:\s*/i, "")
    .toLowerCase();
  return DOI.test(doi)
    ? ok({ kind: "doi", doi })
    : fail('must be a DOI such as "10.1234/abc.5678" (a doi.org link or "doi:" prefix is accepted)');
};

// New-style ids (since 2007) are YYMM.NNNNN; old-style name an archive ("hep-th/9901001"). A
// version suffix names a revision of the same paper, so the identity drops it.
const ARXIV_NEW = /^(\d{4}\.\d{4,5})(v\d+)?$/;
const ARXIV_OLD = /^([a-z-]+(\.[a-z]{2})?\/\d{7})(v\d+)?$/;

export const parseArxivId = (input: string): Parsed<Extract<PaperRef, { kind: "arxiv" }>> => {
  const id = input
    .trim()
    .replace(/^https?:\/\/(www\.|export\.)?arxiv\.org\/(abs|pdf)\//i, "")
    .replace(/\.pdf$/i, "")
    .replace(/^arxiv:\s*/i, "");
  const modern = ARXIV_NEW.exec(id);
  if (modern) return ok({ kind: "arxiv", arxivId: modern[1] as string });
  const old = ARXIV_OLD.exec(id.toLowerCase());
  if (old) return ok({ kind: "arxiv", arxivId: old[1] as string });
  return fail('must be an arXiv id such as "2401.01234" or "hep-th/9901001" (an arxiv.org link is accepted)');
};

// GitHub's own rules: owners are 1–39 letters, digits and single inner dashes; repository names
// 1–100 letters, digits, ".", "_" and "-", never "." or "..". Names are case-insensitive on
// GitHub, so the identity is lower-case while the reference keeps the grantee's spelling.
const OWNER = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export const parseRepositoryUrl = (input: string): Parsed<RepositoryRef> => {
  const message = 'must be a GitHub repository URL such as "https://github.com/owner/repository"';
  const m = /^https?:\/\/(?:www\.)?github\.com\/([^/?#]+)\/([^/?#]+?)(?:\.git)?\/?$/i.exec(input.trim());
  if (!m) return fail(message);
  const [owner, name] = [m[1] as string, m[2] as string];
  if (!OWNER.test(owner) || !NAME.test(name) || name === "." || name === "..") return fail(message);
  return ok({ owner, name });
};

/** The identity one output per award is keyed by. */
export const paperIdentity = (ref: PaperRef) =>
  ref.kind === "doi" ? `doi:${ref.doi}` : `arxiv:${ref.arxivId.toLowerCase()}`;
export const repositoryIdentity = (ref: RepositoryRef) =>
  `github:${ref.owner.toLowerCase()}/${ref.name.toLowerCase()}`;
export const repositoryUrl = (ref: RepositoryRef) => `https://github.com/${ref.owner}/${ref.name}`;
