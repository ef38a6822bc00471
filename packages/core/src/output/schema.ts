import { z } from "zod";
import { Text } from "../bounds.js";
import { Duration } from "../duration.js";
import { deterministicId } from "../ids.js";
import type { PaperMetadata, PaperRef, RepositoryRef } from "./verification-ports.js";

export const OutputKind = z.enum(["paper", "repository"]);
export type OutputKind = z.infer<typeof OutputKind>;

export const OutputStatus = z.enum([
  /** Registered; no registry or code host has answered yet (or they could not answer). */
  "pending",
  /** Found, and for a repository public under a permissive license (or accepted by staff). */
  "verified",
  /** Not found, private, not permissive (or rejected by staff). */
  "rejected",
]);
export type OutputStatus = z.infer<typeof OutputStatus>;

const BoundedRef = z.string().max(512, "must be at most 512 characters");

/**
 * Exactly one of a DOI, an arXiv id or a GitHub repository URL. Formats are checked by the
 * parsers in identity.ts, so one answer can name the field and what to type instead.
 */
export const OutputRegistration = z
  .object({
    doi: BoundedRef.optional(),
    arxivId: BoundedRef.optional(),
    repositoryUrl: BoundedRef.optional(),
  })
  .strict()
  .refine(
    (r) => [r.doi, r.arxivId, r.repositoryUrl].filter((v) => v !== undefined).length === 1,
    "give exactly one of doi, arxivId or repositoryUrl",
  );
export type OutputRegistration = z.infer<typeof OutputRegistration>;

export const OverrideRequest = z
  .object({
    status: z.enum(["verified", "rejected"], "must be verified or rejected"),
    reason: Text(2000, 3, "is required: say why (at least 3 characters)"),
  })
  .strict();
export type OverrideRequest = z.infer<typeof OverrideRequest>;

/** What a check found, kept as recorded: the grantee and staff see why an output stands where it does. */
export interface Verification {
  outcome: "verified" | "rejected";
  checkedAt: string;
  reason: string;
  /** A paper's metadata from the registry that answered. */
  metadata?: PaperMetadata;
  /** A repository's SPDX id as the host detected it, null without a license. */
  spdxId?: string | null;
  commitSha?: string;
  /** The repository's canonical "owner/name" after renames. */
  fullName?: string;
}

export interface OutputEvent {
  at: string;
  /** registered, checked (a verification), override (by staff), unavailable (the service could not answer). */
  kind: "registered" | "checked" | "override" | "unavailable";
  status: OutputStatus;
  actor: string;
  reason: string;
}

export interface Output {
  outputId: string;
  awardId: string;
  programId: string;
  applicantId: string;
  kind: OutputKind;
  /** The normalized identity ("doi:10.1/x", "arxiv:2401.01234", "github:owner/name"): one output per award and identity. */
  identity: string;
  paper?: PaperRef;
  repository?: RepositoryRef & { url: string };
  status: OutputStatus;
  registeredAt: string;
  registeredBy: string;
  /** The last check that answered. */
  verification?: Verification;
  /** The last time a service could not answer: never counts as an outcome. */
  lastAttempt?: { at: string; error: string };
  /** A staff decision stands over later checks until staff override again. */
  override?: { status: "verified" | "rejected"; reason: string; by: string; at: string };
  /** Every registration, check, override and unanswered attempt, oldest first. */
  history: OutputEvent[];
  revision: number;
}

export const outputIdFor = (awardId: string, identity: string) => deterministicId("out", awardId, identity);

/** A program's obligations: when each is due relative to the award's end, and when to remind. */
export const ObligationsConfig = z
  .object({
    paper: z.object({ dueAfterEnd: Duration.optional() }).strict().optional(),
    repository: z.object({ dueAfterEnd: Duration.optional() }).strict().optional(),
    /** Reminders this long before each due date (each once). */
    remindBefore: z.array(Duration).max(5, "at most 5 reminders").optional(),
  })
  .strict();
export type ObligationsConfig = z.infer<typeof ObligationsConfig>;

/** Without a program's own: the repository at the award's end, the paper 180 days after. */
export const DEFAULT_OBLIGATIONS = {
  paper: { dueAfterEnd: "P180D" },
  repository: { dueAfterEnd: undefined as string | undefined },
  remindBefore: ["P30D", "P7D"],
} as const;

export const OBLIGATION_KINDS: readonly OutputKind[] = ["paper", "repository"];
