import type { Award, AwardStatus } from "../award/schema.js";
import type { Proposal } from "../proposal/schema.js";
import type { CsvTable } from "./csv.js";

/** Awards the grantee accepted: provisioning and every state after it. */
const ACCEPTED: ReadonlySet<AwardStatus> = new Set<AwardStatus>([
  "provisioning",
  "provisioning_failed",
  "active",
  "suspended",
  "closing",
  "closed",
  "closed_noncompliant",
  "revoked",
]);

/**
 * A call's proposal funnel. Every count is of proposals of the call; a proposal counts in each
 * stage it reached, so the stages narrow (submitted ≥ reviewed ≥ approved ≥ awarded).
 */
export interface CallFunnel {
  callId: string;
  /** Started and never submitted (drafts, and drafts withdrawn before submission). */
  drafts: number;
  /** Submitted at some time, whatever happened after (withdrawn ones included). */
  submitted: number;
  /** Screening found them ineligible against the call's rules. */
  screenedOut: number;
  /** At least one reviewer's scores were counted. */
  reviewed: number;
  /** The committee's recorded decision is to approve (the budget was committed, an offer sent). */
  approved: number;
  /** Approved and the grantee accepted the award (provisioning or any later state, revoked included). */
  awarded: number;
  /** The committee's recorded decision is to decline. */
  declined: number;
  /** The committee's recorded decision is to wait-list. */
  waitlisted: number;
  /** Withdrawn by the applicant after submission. */
  withdrawn: number;
  /** Approved, and the grantee declined the offer. */
  offersDeclined: number;
  /** Approved, and the offer's deadline passed unanswered (its budget released). */
  offersLapsed: number;
  /** Approved, and the offer still waits for the grantee. */
  offersOpen: number;
  /** Submitted, neither screened out nor withdrawn, and no decision yet (screening, review, committee). */
  undecided: number;
}

/** The funnel of one call from its proposals and the awards of its approved proposals. */
export const funnelOf = (callId: string, proposals: Proposal[], awards: Award[]): CallFunnel => {
  const awardOf = new Map(awards.map((a) => [a.proposalId, a]));
  const f: CallFunnel = {
    callId,
    drafts: 0,
    submitted: 0,
    screenedOut: 0,
    reviewed: 0,
    approved: 0,
    awarded: 0,
    declined: 0,
    waitlisted: 0,
    withdrawn: 0,
    offersDeclined: 0,
    offersLapsed: 0,
    offersOpen: 0,
    undecided: 0,
  };
  for (const p of proposals) {
    if (p.callId !== callId) continue;
    if (!p.submittedAt) {
      f.drafts++;
      continue;
    }
    f.submitted++;
    if (p.status === "ineligible") f.screenedOut++;
    if (p.status === "withdrawn") f.withdrawn++;
    if ((p.score?.reviewCount ?? 0) > 0) f.reviewed++;
    const outcome = p.decision?.outcome;
    if (outcome === "decline") f.declined++;
    else if (outcome === "waitlist") f.waitlisted++;
    else if (outcome === "approve") {
      f.approved++;
      const status = awardOf.get(p.proposalId)?.status;
      if (status && ACCEPTED.has(status)) f.awarded++;
      else if (status === "declined") f.offersDeclined++;
      else if (status === "lapsed") f.offersLapsed++;
      else f.offersOpen++;
    } else if (p.status !== "ineligible" && p.status !== "withdrawn") f.undecided++;
  }
  return f;
};

/** The funnel's stages as rows (stage, proposals), in funnel order. */
export const funnelTable = (f: CallFunnel): CsvTable => {
  const { callId, ...stages } = f;
  return {
    header: ["callId", "stage", "proposals"],
    rows: Object.entries(stages).map(([stage, count]) => [callId, stage, count]),
  };
};
