import { z } from "zod";
import type { AwardCloseout } from "./closeout-schema.js";

export const AwardStatus = z.enum([
  /** Budget committed, the offer sent, waiting for the grantee. */
  "offered",
  "declined",
  /** The offer's deadline passed; its budget was released. */
  "lapsed",
  /** Accepted; provisioning on the compute provider under way. */
  "provisioning",
  /** Provisioning failed for good; compensation released the budget. Staff may re-drive. */
  "provisioning_failed",
  "active",
  "suspended",
  /** The term ended (or early closeout was approved): late usage, settlement and the final report. */
  "closing",
  /** Closed out with every obligation met (or waived by staff with a reason). */
  "closed",
  /** Closed out with an obligation unmet at closeout; staff may still record it later. */
  "closed_noncompliant",
  "revoked",
]);
export type AwardStatus = z.infer<typeof AwardStatus>;

/** The obligations of every award: nothing else is asked of a grantee. */
export const OBLIGATIONS = [
  "Publish a research paper on the funded work (a DOI or an arXiv id).",
  "Open-source the work on GitHub under a permissive license (MIT, Apache-2.0, BSD or similar).",
] as const;

export interface ProviderAllocation {
  /** The provider's own project id (AMIE: the local project id). */
  projectId: string;
  /** How the grantee reaches the cluster. */
  access: { loginHost: string; account: string; instructions: string };
  provisionedAt: string;
}

export interface Award {
  awardId: string;
  proposalId: string;
  programId: string;
  callId: string;
  applicantId: string;
  /** The PI's institution: a partner's canonical name, or the proposal's free text. */
  institution: string;
  /**
   * The partner institution whose cap the award's credits count against: the id the proposal
   * named, or the partner whose name or alias its free text is. Absent on awards stored before
   * partner institutions, whose partner credits stay keyed by the institution's name.
   */
  institutionId?: string;
  /** The credits count against a partner's cap (derived from the program's list, never declared). */
  strategicPartner: boolean;
  cashCents: number;
  creditsCents: number;
  periodMonths: number;
  status: AwardStatus;
  offeredAt: string;
  offerExpiresAt: string;
  acceptedAt?: string;
  startsAt?: string;
  endsAt?: string;
  provider?: ProviderAllocation;
  /**
   * The ledger's consumption as last settled (settlement.ts): credits used, cash declared spent,
   * and counted usage beyond what the award holds (overage: recorded, never taken from the pool).
   */
  consumption?: { creditsCents: number; cashCents: number; overageCents: number; settledAt: string };
  /** Set while the provider's project is inactivated because the credits are used up. */
  inactivatedAt?: string;
  /** Every status change, with who and why: nothing is overwritten without a trace. */
  history: Array<{
    at: string;
    status: AwardStatus;
    actor: string;
    reason: string;
    /** The staff operation (named by its Idempotency-Key) that made this change, if any. */
    operationId?: string;
  }>;
  /** The acceptance callback the workflow waits on; never shown. */
  offerTaskToken?: string;
  /** The provider's answer callback; never shown. */
  provisioningTaskToken?: string;
  /** The closeout's record, from its start to the final status (see closeout.ts). */
  closeout?: AwardCloseout;
  /** The closeout's final-report callback; never shown. */
  finalReportTaskToken?: string;
  revision: number;
}

export const awardIdFor = (proposalId: string) => `awd_${proposalId.slice(4)}`;
