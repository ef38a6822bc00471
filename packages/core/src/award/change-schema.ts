import { z } from "zod";
import { mintedId, Text } from "../bounds.js";
import type { DomainEvent } from "../events/define.js";
import { Cents } from "../program/schema.js";
import type { Award } from "./schema.js";

// A grantee's request to change their award, and staff's decision on it. The request keeps the
// justification and the decision keeps the rationale, both shown to the grantee: a change is as
// traceable as the committee's decision that made the award.

export const ChangeKind = z.enum(["supplement", "extension", "early-closeout"]);
export type ChangeKind = z.infer<typeof ChangeKind>;
export const ChangeStatus = z.enum(["pending", "approved", "denied"]);
export type ChangeStatus = z.infer<typeof ChangeStatus>;
export const ChangeId = mintedId("chg", "change request");

const Justification = Text(4000, 20, "explain the need (at least 20 characters)");
const Rationale = Text(4000, 5, "give the rationale the grantee will read (at least 5 characters)");
const Months = z.number().int("must be whole months").min(1).max(36);

const somethingAsked = (t: { cashCents: number; creditsCents: number }) => t.cashCents + t.creditsCents > 0;

export const ChangeRequestInput = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("supplement"),
      cashCents: Cents.default(0),
      creditsCents: Cents.default(0),
      justification: Justification,
    })
    .refine(somethingAsked, { message: "ask for cash, credits or both", path: ["creditsCents"] }),
  z.object({ kind: z.literal("extension"), months: Months, justification: Justification }),
  z.object({ kind: z.literal("early-closeout"), justification: Justification }),
]);
export type ChangeRequestInput = z.infer<typeof ChangeRequestInput>;

/** Staff may grant less than asked (never more); what they leave out is the requested amount. */
export const ApproveChange = z.object({
  rationale: Rationale,
  cashCents: Cents.optional(),
  creditsCents: Cents.optional(),
  months: Months.optional(),
});
export type ApproveChange = z.infer<typeof ApproveChange>;
export const DenyChange = z.object({ rationale: Rationale });

export type ChangeAmounts = { cashCents?: number; creditsCents?: number; months?: number };

export interface ChangeRequest {
  changeId: string;
  awardId: string;
  proposalId: string;
  programId: string;
  /** The grantee who asked (the award's applicant). */
  applicantId: string;
  kind: ChangeKind;
  /** Supplement: cashCents and creditsCents; extension: months; early closeout: nothing. */
  requested: ChangeAmounts;
  justification: string;
  status: ChangeStatus;
  requestedAt: string;
  decision?: {
    decidedAt: string;
    decidedBy: string;
    rationale: string;
    /** What an approval granted (at most what was requested). */
    granted?: ChangeAmounts;
  };
  revision: number;
}

export interface ChangePage {
  items: ChangeRequest[];
  nextCursor?: string;
}

export interface ChangeRequestRepository {
  get(awardId: string, changeId: string): Promise<ChangeRequest | undefined>;
  /** An award's requests, oldest first (consistent read). */
  listForAward(awardId: string): Promise<ChangeRequest[]>;
  /** Every award's requests in one status, oldest first, a page at a time. */
  listByStatus(status: ChangeStatus, options: { limit: number; cursor?: string }): Promise<ChangePage>;
  /**
   * Records a new request with its events. One request per kind may be open on an award: a
   * second is refused with DomainError "conflict" naming the open one.
   */
  open(change: ChangeRequest, events: DomainEvent[]): Promise<void>;
  /**
   * Writes the decided request under its revision and frees its kind for a new request, with
   * the award (when the decision changes it, under the award's revision) and the events, all or
   * nothing. ConcurrentModification when either moved meanwhile.
   */
  decide(change: ChangeRequest, award: Award | undefined, events: DomainEvent[]): Promise<void>;
}
