import type { Actor } from "../actor.js";
import type { Clock } from "../clock.js";
import { forbidden, notFound } from "../errors.js";
import { createEvent, type DomainEvent } from "../events/define.js";
import type {
  CallReader,
  ProgramWithPartnersReader,
  ProposalRepository,
  ReviewWorkflow,
} from "../proposal/ports.js";
import type { UsageRepository } from "../usage/ports.js";
import { BudgetReleased } from "./events.js";
import type { LedgerEntry, LedgerKind, LedgerRepository, Pool } from "./ledger.js";
import type { AwardRepository } from "./ports.js";
import type { ComputeProvider } from "./provider.js";
import type { Award, AwardStatus } from "./schema.js";

// What the award commands share: their dependencies, the status transition that keeps the
// history, and the ledger movements (entries per pool, and the release of what an award holds).

export interface AwardDeps {
  proposals: ProposalRepository;
  calls: CallReader;
  programs: ProgramWithPartnersReader;
  awards: AwardRepository;
  ledger: LedgerRepository;
  /** The counted usage that settlement brings into the ledger. */
  usage: Pick<UsageRepository, "totals" | "consumed">;
  provider: ComputeProvider;
  workflow: Pick<ReviewWorkflow, "complete" | "fail" | "startProvisioning">;
  clock: Clock;
  /** Where the provider posts its answers (the webhook route of this deployment). */
  providerCallbackUrl: string;
}

export const SYSTEM = "allot";
export const at = (deps: AwardDeps) => deps.clock.now().toISOString();
export const addMonths = (iso: string, months: number) => {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
};

export const ids = (a: Award) => ({ awardId: a.awardId, proposalId: a.proposalId, programId: a.programId });

export const transition = (
  a: Award,
  status: AwardStatus,
  actor: string,
  reason: string,
  when: string,
): Award => ({
  ...a,
  status,
  history: [...a.history, { at: when, status, actor, reason }],
  revision: a.revision + 1,
});

export const entriesFor = (
  a: Award,
  kind: LedgerKind,
  amounts: { cashCents: number; creditsCents: number },
  sign: 1 | -1,
  actor: string,
  cause: string,
  when: string,
  tag: string,
): LedgerEntry[] =>
  (["cash", "credits"] as Pool[]).flatMap((pool) => {
    const cents = pool === "cash" ? amounts.cashCents : amounts.creditsCents;
    if (!cents) return [];
    return [
      {
        entryId: `${a.awardId}:${tag}:${pool}`,
        programId: a.programId,
        awardId: a.awardId,
        institution: a.institution,
        ...(a.institutionId ? { institutionId: a.institutionId } : {}),
        strategicPartner: a.strategicPartner,
        pool,
        kind,
        amountCents: sign * cents,
        actor,
        cause,
        at: when,
      },
    ];
  });

export const mustGet = async (deps: AwardDeps, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  return award;
};

/** Money held by an award now: what its entries add up to, per pool. */
export const heldBy = (entries: LedgerEntry[]) => ({
  cashCents: entries.filter((e) => e.pool === "cash").reduce((s, e) => s + e.amountCents, 0),
  creditsCents: entries.filter((e) => e.pool === "credits").reduce((s, e) => s + e.amountCents, 0),
});

/**
 * Gives back everything the award holds, with its new status, in one ledger movement. What it
 * consumed stays consumed: settle consumption first, so only the unconsumed remainder returns.
 */
export const release = async (
  deps: AwardDeps,
  award: Award,
  status: AwardStatus,
  actor: string,
  reason: string,
  extra: DomainEvent[],
  tag: string,
) => {
  const when = at(deps);
  const held = heldBy(await deps.ledger.entriesForAward(award.awardId));
  const after = transition(award, status, actor, reason, when);
  await deps.ledger.move({
    requestToken: `${award.awardId}:${tag}`,
    entries: entriesFor(award, "release", held, -1, actor, reason, when, tag),
    award: { item: after as unknown as Record<string, unknown>, expectedRevision: award.revision },
    events: [
      ...extra,
      ...(held.cashCents || held.creditsCents
        ? [
            createEvent(BudgetReleased, `${award.awardId}:${tag}:released`, when, {
              ...ids(award),
              ...held,
              reason,
            }),
          ]
        : []),
    ],
  });
  return after;
};

export const staffOnly = (actor: Actor) => {
  if (actor.role !== "staff") throw forbidden("Only program staff manage awards");
};
