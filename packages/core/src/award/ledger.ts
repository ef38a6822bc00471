import type { DomainEvent } from "../events/define.js";
import { WorkflowErrors } from "../workflow-errors.js";
import type { ChangeRequest } from "./change-schema.js";

export type Pool = "cash" | "credits";
export type LedgerKind = "commit" | "release" | "topup" | "adjustment" | "consume";

/**
 * One movement of money or credits, append-only. `amountCents` is what the award holds after
 * minus before: positive for commit and top-up, negative for release; an adjustment either way.
 * A consumption (credits used, cash declared spent) is negative, and positive when a refund
 * brings consumption down: it leaves the award's holding but never goes back to the pool.
 */
export interface LedgerEntry {
  entryId: string;
  programId: string;
  awardId: string;
  institution: string;
  /** The partner institution's canonical id; absent on entries written before partner institutions. */
  institutionId?: string;
  /** Partner-cap accounting applies to strategic partners' credits only. */
  strategicPartner: boolean;
  pool: Pool;
  kind: LedgerKind;
  amountCents: number;
  actor: string;
  cause: string;
  at: string;
}

/**
 * The balances the ledger keeps in step with its entries, in the same transaction.
 * `committedCents` is what awards were given net of releases (commits + top-ups − releases),
 * consumed or not: consumption never frees room in the pool. `consumedCents` is the part of
 * it used up; awards still hold committed − consumed; available = total − committed.
 */
export interface PoolBalance {
  programId: string;
  pool: Pool;
  totalCents: number;
  committedCents: number;
  consumedCents: number;
  availableCents: number;
}

/** A consumption entry leaves the award's holding without returning to the pool or the cap. */
export const isConsumption = (entry: Pick<LedgerEntry, "kind">) => entry.kind === "consume";

/**
 * A strategic partner institution's credits across its awards. `heldCents` is what the partner
 * was given net of releases, consumed or not (consumption frees no cap room; releases do).
 * `institutionKey` is what the cap counts by (see partnerKeyOf): the canonical id, or for entries older than partner
 * institutions the name as it was typed, folded.
 */
export interface PartnerBalance {
  programId: string;
  institution: string;
  institutionKey: string;
  capCents: number;
  heldCents: number;
  remainingCents: number;
}

export const institutionKey = (institution: string) => institution.trim().toLowerCase().replace(/\s+/g, " ");

/**
 * The partner balance an entry moves. An entry older than partner institutions has no id: its
 * releases go back to the balance its commitment was taken from, keyed by the name.
 */
export const partnerKeyOf = (entry: Pick<LedgerEntry, "institution" | "institutionId">) =>
  entry.institutionId ?? institutionKey(entry.institution);

/** Why a movement was refused, with the numbers staff need to revise the decision. */
export interface BudgetShortfall {
  kind: "pool" | "partner-cap";
  pool: Pool;
  institution?: string;
  requestedCents: number;
  availableCents: number;
}

/**
 * The ledger's one write: a set of entries for one award moving together with the award record
 * and the events they cause, all or nothing. Pools and the partner cap never go below zero:
 * a movement that would is refused whole with every shortfall named.
 */
export interface LedgerRepository {
  /**
   * `requestToken` makes a retried call a no-op (the same token twice writes once). Throws
   * BudgetExhausted when a pool or cap cannot cover the entries.
   */
  move(input: {
    requestToken: string;
    entries: LedgerEntry[];
    /** The award as it must be after the movement, written under the award's revision condition. */
    award: { item: Record<string, unknown>; expectedRevision: number | null };
    events: DomainEvent[];
    /**
     * A change request this movement grants: written decided under its revision, its kind freed
     * for a new request, in the same transaction (ConcurrentModification if it moved meanwhile).
     */
    decidedChange?: ChangeRequest;
  }): Promise<void>;
  entriesForAward(awardId: string): Promise<LedgerEntry[]>;
  entriesForProgram(programId: string): Promise<LedgerEntry[]>;
  pools(programId: string): Promise<PoolBalance[]>;
  /** Credits a partner institution holds across its awards, and its cap. */
  partnerBalance(
    programId: string,
    institution: string,
  ): Promise<{ heldCents: number; capCents: number } | undefined>;
  /** Every partner institution that has held credits in the program. */
  partners(programId: string): Promise<PartnerBalance[]>;
  /** Creates the pool balances of a program from its budget; idempotent. */
  openPools(
    programId: string,
    pools: { cashCents: number; creditsCents: number },
    partnerCapCents: number,
  ): Promise<void>;
}

export class BudgetExhausted extends Error {
  override name = WorkflowErrors.budgetExhausted;
  constructor(readonly shortfalls: BudgetShortfall[]) {
    super(
      shortfalls
        .map((s) =>
          s.kind === "pool"
            ? `the ${s.pool} pool has ${s.availableCents} cents left, ${s.requestedCents} requested`
            : `${s.institution} may receive ${s.availableCents} more credit cents, ${s.requestedCents} requested`,
        )
        .join("; "),
    );
  }
}
