// The outside services that say whether an output is what the grantee claims: scholarly
// registries (Crossref, DataCite, arXiv) for papers and a code host (GitHub) for repositories.
// Each answer is a fact about the world at `checkedAt`; a service that cannot answer now throws
// VerificationUnavailable, which is retried and never counted as non-compliance.

/** A paper's identity as a grantee gives it: a DOI ("10.1234/abc") or an arXiv id ("2401.01234"). */
export type PaperRef = { kind: "doi"; doi: string } | { kind: "arxiv"; arxivId: string };

export interface PaperMetadata {
  title: string;
  /** Display names in the registry's order ("Given Family", or the literal name). */
  authors: string[];
  year?: number;
  /** Journal, proceedings or repository ("arXiv"). */
  venue?: string;
  /** Which registry answered. */
  registry: "crossref" | "datacite" | "arxiv";
}

export type PaperLookup =
  | { found: true; metadata: PaperMetadata; checkedAt: string }
  | { found: false; checkedAt: string };

export interface ScholarlyRegistry {
  /** Crossref first, then DataCite for a DOI; the arXiv API for an arXiv id. */
  lookUp(ref: PaperRef): Promise<PaperLookup>;
}

export interface RepositoryRef {
  owner: string;
  name: string;
}

export type RepositoryLookup =
  | {
      found: true;
      /** False for a private repository (visible to the token only). */
      public: boolean;
      /** The SPDX id GitHub detected ("MIT", "NOASSERTION" for unrecognized text), null without a license file. */
      spdxId: string | null;
      /** The commit of the default branch the license was read at, when the host says. */
      commitSha?: string;
      defaultBranch?: string;
      /** Canonical "owner/name" after renames and transfers. */
      fullName: string;
      checkedAt: string;
    }
  | { found: false; checkedAt: string };

export interface CodeHost {
  lookUp(repository: RepositoryRef): Promise<RepositoryLookup>;
}

/** The service could not answer now (network, timeout, 5xx, rate limit): try again later. */
export class VerificationUnavailable extends Error {
  override name = "VerificationUnavailable";
  constructor(
    readonly service: string,
    message: string,
    /** Seconds the service asked to wait (Retry-After, or a rate-limit reset), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
