import type { ChangeRequest, ChangeRequestRepository } from "../src/award/change-schema.js";
import {
  BudgetExhausted,
  type BudgetShortfall,
  institutionKey,
  isConsumption,
  type LedgerEntry,
  type LedgerRepository,
  type PartnerBalance,
  type Pool,
  type PoolBalance,
  partnerKeyOf,
} from "../src/award/ledger.js";
import type { AwardRepository } from "../src/award/ports.js";
import type { Award } from "../src/award/schema.js";
import type { CallRepository } from "../src/call/ports.js";
import type { Call } from "../src/call/schema.js";
import { ConcurrentModification, conflict, notFound, validationError } from "../src/errors.js";
import type { DomainEvent } from "../src/events/define.js";
import type { IdempotencyScope, IdempotencyStore, StoredResponse } from "../src/idempotency/ports.js";
import type {
  ListOptions,
  Notification,
  NotificationPreferenceRepository,
  NotificationPreferences,
  NotificationRepository,
} from "../src/notification/index.js";
import type { Output, OutputRepository } from "../src/output/index.js";
import type { PartnerInstitutionRecord, ProgramRecord, ProgramRepository } from "../src/program/ports.js";
import type { ProposalClaim, ProposalRepository, ReviewWorkflow } from "../src/proposal/ports.js";
import type { Proposal } from "../src/proposal/schema.js";
import {
  type GrantOutcome,
  hoursOf,
  type Reservation,
  type ReservationHold,
  type ReservationRepository,
} from "../src/reservation/index.js";
import type { Assignment, AssignmentRepository } from "../src/review/assignments-ports.js";
import type { ReviewerRecord, ReviewerRepository } from "../src/review/ports.js";
import {
  dayOf,
  deltaOf,
  type StoredUsage,
  type UsageRecord,
  type UsageRepository,
} from "../src/usage/index.js";

/** An in-memory ProposalRepository with the same conflict rules as the DynamoDB adapter. */
export const memoryProposals = () => {
  const items = new Map<string, Proposal>();
  const claims = new Set<string>();
  const events: DomainEvent[] = [];
  const takeClaims = (wanted: ProposalClaim[] = []) => {
    const ids = wanted.map((c) => JSON.stringify([c.kind, c.callId, c.piEmail]));
    if (ids.some((c) => claims.has(c))) throw conflict("claim taken");
    for (const c of ids) claims.add(c);
  };
  const repo: ProposalRepository = {
    async get(id) {
      const p = items.get(id);
      return p ? structuredClone(p) : undefined;
    },
    async insert(p, evs, options) {
      if (items.has(p.proposalId)) throw new ConcurrentModification(`Proposal ${p.proposalId}`);
      takeClaims(options?.claims);
      items.set(p.proposalId, structuredClone(p));
      events.push(...evs);
    },
    async update(p, evs, options) {
      if (items.get(p.proposalId)?.revision !== p.revision - 1)
        throw new ConcurrentModification(`Proposal ${p.proposalId}`);
      takeClaims(options?.claims);
      items.set(p.proposalId, structuredClone(p));
      events.push(...evs);
    },
    async listByCall(callId, status) {
      return [...items.values()]
        .filter((p) => p.callId === callId && (!status || p.status === status))
        .map((p) => structuredClone(p));
    },
    async listByApplicant(applicantId) {
      return [...items.values()].filter((p) => p.applicantId === applicantId).map((p) => structuredClone(p));
    },
  };
  return { repo, items, events };
};

export const recordingWorkflow = () => {
  const completed: Array<{ token: string; output: unknown }> = [];
  const failed: Array<{ token: string; error: string }> = [];
  const stopped: string[] = [];
  const started: Array<{ proposalId: string; awardId: string; round: number }> = [];
  const workflow: ReviewWorkflow = {
    async start() {},
    async startAward() {},
    async complete(token, output) {
      completed.push({ token, output });
    },
    async fail(token, error) {
      failed.push({ token, error });
    },
    async stop(proposalId) {
      stopped.push(proposalId);
    },
    async startProvisioning(proposalId, awardId, round) {
      started.push({ proposalId, awardId, round });
    },
    async history(proposalId) {
      return {
        status: "RUNNING",
        current: proposalId,
        executions: [{ name: proposalId, kind: "review" as const, status: "RUNNING", events: [] }],
      };
    },
  };
  return { workflow, completed, failed, stopped, started };
};

/** Programs and their partner institutions, with the adapter's revision condition on institutions. */
export const memoryPrograms = () => {
  const items = new Map<string, ProgramRecord>();
  const institutions = new Map<string, PartnerInstitutionRecord>();
  const events: DomainEvent[] = [];
  const institutionKey = (programId: string, institutionId: string) => `${programId}/${institutionId}`;
  const repo: ProgramRepository = {
    async get(id) {
      const p = items.get(id);
      return p ? structuredClone(p) : undefined;
    },
    async insert(p, evs) {
      if (items.has(p.programId)) throw conflict("exists");
      items.set(p.programId, structuredClone(p));
      events.push(...evs);
    },
    async list() {
      return [...items.values()]
        .sort((a, b) => (a.programId < b.programId ? -1 : 1))
        .map((p) => structuredClone(p));
    },
    async getInstitution(programId, institutionId) {
      const i = institutions.get(institutionKey(programId, institutionId));
      return i ? structuredClone(i) : undefined;
    },
    async listInstitutions(programId) {
      return [...institutions.values()]
        .filter((i) => i.programId === programId)
        .sort((a, b) => (a.institutionId < b.institutionId ? -1 : 1))
        .map((i) => structuredClone(i));
    },
    async putInstitution(institution, expectedRevision, evs) {
      const k = institutionKey(institution.programId, institution.institutionId);
      if ((institutions.get(k)?.revision ?? null) !== expectedRevision)
        throw new ConcurrentModification(`Partner institution ${institution.institutionId}`);
      institutions.set(k, structuredClone(institution));
      events.push(...evs);
    },
  };
  return { repo, items, institutions, events };
};

/** An in-memory CallRepository with the DynamoDB adapter's conditions. */
export const memoryCalls = () => {
  const items = new Map<string, Call>();
  const events: DomainEvent[] = [];
  const repo: CallRepository = {
    async get(id) {
      const c = items.get(id);
      return c ? structuredClone(c) : undefined;
    },
    async insert(c, evs) {
      if (items.has(c.callId)) throw conflict("exists");
      items.set(c.callId, structuredClone(c));
      events.push(...evs);
    },
    async list(filter = {}) {
      return [...items.values()]
        .filter((c) => !filter.programId || c.programId === filter.programId)
        .filter((c) => !filter.closingAfter || c.closesAt > filter.closingAfter)
        .map((c) => structuredClone(c));
    },
    async extendPool(id, expectedSize, reviewerIds, evs) {
      const c = items.get(id);
      if (!c || c.reviewerPool.length !== expectedSize) throw conflict("changed");
      c.reviewerPool.push(...reviewerIds);
      events.push(...evs);
    },
  };
  return { repo, items, events };
};

/** An in-memory ReviewerRepository that, like the adapter, never overwrites openAssignments. */
export const memoryReviewers = () => {
  const items = new Map<string, ReviewerRecord>();
  const repo: ReviewerRepository = {
    async get(id) {
      const r = items.get(id);
      return r ? structuredClone(r) : undefined;
    },
    async getMany(ids) {
      return [...new Set(ids)].flatMap((id) => {
        const r = items.get(id);
        return r ? [structuredClone(r)] : [];
      });
    },
    async put(profile) {
      const existing = items.get(profile.reviewerId);
      const record = { ...structuredClone(profile), openAssignments: existing?.openAssignments ?? 0 };
      items.set(profile.reviewerId, record);
      return { record: structuredClone(record), created: !existing };
    },
    async list() {
      return [...items.values()]
        .sort((a, b) => (a.reviewerId < b.reviewerId ? -1 : 1))
        .map((r) => structuredClone(r));
    },
  };
  return { repo, items };
};

/** In-memory assignments that move the reviewers' load counters as the DynamoDB adapter does. */
export const memoryAssignments = (reviewers: Map<string, ReviewerRecord>) => {
  const items = new Map<string, Assignment>();
  const events: DomainEvent[] = [];
  const repo: AssignmentRepository = {
    async get(id) {
      const a = items.get(id);
      return a ? structuredClone(a) : undefined;
    },
    async listForProposal(proposalId) {
      return [...items.values()].filter((a) => a.proposalId === proposalId).map((a) => structuredClone(a));
    },
    async listForReviewer(reviewerId) {
      return [...items.values()].filter((a) => a.reviewerId === reviewerId).map((a) => structuredClone(a));
    },
    async create(assignments, evs) {
      for (const a of assignments) {
        const r = reviewers.get(a.reviewerId);
        if (items.has(a.assignmentId) || !r || r.openAssignments >= r.maxLoad)
          throw conflict("full or exists");
      }
      for (const a of assignments) {
        (reviewers.get(a.reviewerId) as ReviewerRecord).openAssignments++;
        items.set(a.assignmentId, structuredClone(a));
      }
      events.push(...evs);
    },
    async update(a, evs, options) {
      if (items.get(a.assignmentId)?.revision !== a.revision - 1)
        throw new ConcurrentModification(`Assignment ${a.assignmentId}`);
      if (options?.releaseLoad) (reviewers.get(a.reviewerId) as ReviewerRecord).openAssignments--;
      items.set(a.assignmentId, structuredClone(a));
      events.push(...evs);
    },
  };
  return { repo, items, events };
};

/** An in-memory repository with the adapter's rules: per-hour slots and the award's hold, all or nothing. */
export const memoryReservations = () => {
  const items = new Map<string, Reservation>();
  const slots = new Map<string, number>();
  const holds = new Map<string, ReservationHold>();
  const events: DomainEvent[] = [];
  const key = (r: Pick<Reservation, "awardId" | "reservationId">) => `${r.awardId}/${r.reservationId}`;
  const check = (r: Reservation, previous: Reservation["status"] | null) => {
    const stored = items.get(key(r));
    return previous === null ? !stored : stored?.status === previous && stored.revision === r.revision - 1;
  };
  // As the adapter: a write whose condition fails but whose result is already stored (a retry
  // after a lost answer) went through.
  const storedAsPlanned = (r: Reservation) => {
    const stored = items.get(key(r));
    return stored?.revision === r.revision && stored.status === r.status;
  };
  const repo: ReservationRepository = {
    async get(awardId, reservationId) {
      const r = items.get(`${awardId}/${reservationId}`);
      return r ? structuredClone(r) : undefined;
    },
    async listByAward(awardId) {
      return [...items.values()].filter((r) => r.awardId === awardId).map((r) => structuredClone(r));
    },
    async queued(programId) {
      return [...items.values()]
        .filter((r) => r.programId === programId && r.status === "queued")
        .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))
        .map((r) => structuredClone(r));
    },
    async holding(awardId) {
      return (await repo.listByAward(awardId)).filter(
        (r) => r.status === "granted" || r.status === "suspended",
      );
    },
    async grant({ reservation: r, previous, capacity, creditsCents, events: evs }): Promise<GrantOutcome> {
      if (!check(r, previous))
        return storedAsPlanned(r) ? { granted: true } : { granted: false, reason: "stale" };
      const hold = holds.get(r.awardId) ?? {
        awardId: r.awardId,
        creditsCents,
        heldCents: 0,
        availableCents: creditsCents,
      };
      if (hold.availableCents < r.holdCents)
        return {
          granted: false,
          reason: "credits",
          heldCents: hold.heldCents,
          availableCents: hold.availableCents,
        };
      const hours = hoursOf(r.startsAt, r.endsAt).map((h) => `${r.programId}#${h}`);
      if (hours.some((h) => (slots.get(h) ?? capacity) < r.chips))
        return { granted: false, reason: "capacity" };
      for (const h of hours) slots.set(h, (slots.get(h) ?? capacity) - r.chips);
      holds.set(r.awardId, {
        ...hold,
        heldCents: hold.heldCents + r.holdCents,
        availableCents: hold.availableCents - r.holdCents,
      });
      items.set(key(r), structuredClone(r));
      events.push(...evs);
      return { granted: true };
    },
    async release(r, previous, evs) {
      if (!check(r, previous)) {
        if (storedAsPlanned(r)) return;
        throw new ConcurrentModification("reservation");
      }
      for (const h of hoursOf(r.startsAt, r.endsAt).map((x) => `${r.programId}#${x}`))
        slots.set(h, (slots.get(h) ?? 0) + r.chips);
      const hold = holds.get(r.awardId);
      if (hold)
        holds.set(r.awardId, {
          ...hold,
          heldCents: hold.heldCents - r.holdCents,
          availableCents: hold.availableCents + r.holdCents,
        });
      items.set(key(r), structuredClone(r));
      events.push(...evs);
    },
    async save(r, previous, evs) {
      if (!check(r, previous)) {
        if (storedAsPlanned(r)) return;
        throw new ConcurrentModification("reservation");
      }
      items.set(key(r), structuredClone(r));
      events.push(...evs);
    },
    async hold(awardId) {
      return holds.get(awardId);
    },
    async syncCredits(awardId, creditsCents) {
      const hold = holds.get(awardId);
      if (!hold || hold.creditsCents >= creditsCents) return;
      holds.set(awardId, {
        ...hold,
        creditsCents,
        availableCents: hold.availableCents + creditsCents - hold.creditsCents,
      });
    },
    async freeChips(programId, hours) {
      const out = new Map<string, number>();
      for (const h of hours) {
        const v = slots.get(`${programId}#${h}`);
        if (v !== undefined) out.set(h, v);
      }
      return out;
    },
  };
  return { repo, items, events, slots, holds };
};

/** Usage in memory: a record is counted when it is first stored, as the adapter's transaction does. */
export const memoryUsage = () => {
  const stored = new Map<string, StoredUsage>();
  const totals = new Map<string, Map<string, { chargeCents: number; records: number }>>();
  const raised = new Set<string>();
  const outbox: DomainEvent[] = [];
  const repo: UsageRepository = {
    async store(records, { until = Number.POSITIVE_INFINITY } = {}) {
      const held = new Map<string, UsageRecord>();
      for (const r of records) {
        if (Date.now() >= until) break;
        if (!stored.has(r.record.recordId)) {
          stored.set(r.record.recordId, r);
          const days = totals.get(r.record.awardId) ?? new Map();
          const day = dayOf(r.record, r.receivedAt);
          const d = days.get(day) ?? { chargeCents: 0, records: 0 };
          days.set(day, { chargeCents: d.chargeCents + deltaOf(r.record), records: d.records + 1 });
          totals.set(r.record.awardId, days);
        }
        held.set(r.record.recordId, (stored.get(r.record.recordId) as StoredUsage).record);
      }
      return held;
    },
    async consumed(awardId) {
      return [...(totals.get(awardId) ?? new Map()).values()].reduce((s, d) => s + d.chargeCents, 0);
    },
    async totals(awardId) {
      const byDay = [...(totals.get(awardId) ?? new Map())]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, d]) => ({ day, ...d }));
      return { consumedCents: byDay.reduce((s, d) => s + d.chargeCents, 0), byDay };
    },
    async thresholdsRaised(awardId, candidates) {
      return candidates.filter((t) => raised.has(`${awardId}:${t}`));
    },
    async raiseThreshold(awardId, threshold, events) {
      if (raised.has(`${awardId}:${threshold}`)) return false;
      raised.add(`${awardId}:${threshold}`);
      outbox.push(...events);
      return true;
    },
    async publish(events) {
      outbox.push(...events);
    },
  };
  return { repo, stored, outbox };
};

/** Award records in memory, with the adapter's revision condition; `items` is shared with memoryLedger. */
export const memoryAwards = (items = new Map<string, Award>()) => {
  const events: DomainEvent[] = [];
  const repo: AwardRepository = {
    async get(id) {
      const a = items.get(id);
      return a ? structuredClone(a) : undefined;
    },
    async getMany(ids) {
      return [...new Set(ids)].flatMap((id) => {
        const a = items.get(id);
        return a ? [structuredClone(a)] : [];
      });
    },
    async update(a, evs) {
      if (items.get(a.awardId)?.revision !== a.revision - 1)
        throw new ConcurrentModification(`Award ${a.awardId}`);
      items.set(a.awardId, structuredClone(a));
      events.push(...evs);
    },
    async listByProgram(programId, status) {
      return [...items.values()]
        .filter((a) => a.programId === programId && (!status || a.status === status))
        .map((a) => structuredClone(a));
    },
    async listByApplicant(applicantId) {
      return [...items.values()].filter((a) => a.applicantId === applicantId).map((a) => structuredClone(a));
    },
  };
  return { repo, items, events };
};

/**
 * The ledger in memory with the adapter's rules: one movement all or nothing, pools and partner
 * caps never below zero (every shortfall named), a request token or the same entry ids written
 * once, the award written under its revision. It writes award records into `awards`.
 */
export const memoryLedger = (awards: Map<string, Award>, changes = new Map<string, ChangeRequest>()) => {
  const pools = new Map<string, PoolBalance>();
  const partners = new Map<string, PartnerBalance>();
  const legacyCaps = new Map<string, number>();
  const entries = new Map<string, LedgerEntry>();
  const tokens = new Set<string>();
  const events: DomainEvent[] = [];
  const poolKey = (programId: string, pool: Pool) => `${programId}/${pool}`;
  const partnerKey = (programId: string, key: string) => `${programId}/${institutionKey(key)}`;
  const ordered = (list: LedgerEntry[]) =>
    list
      .sort((a, b) => a.at.localeCompare(b.at) || a.entryId.localeCompare(b.entryId))
      .map((e) => structuredClone(e));

  const repo: LedgerRepository = {
    async move({ requestToken, entries: moving, award, events: evs, decidedChange }) {
      const text = (field: string) => {
        const value = award.item[field];
        if (typeof value !== "string" || !value) throw validationError(`The award needs a ${field}`);
        return value;
      };
      const awardId = text("awardId");
      const programId = text("programId");
      text("status");
      text("applicantId");
      for (const e of moving) {
        if (e.awardId !== awardId || e.programId !== programId)
          throw validationError(`Entry ${e.entryId} is not for award ${awardId} of program ${programId}`);
        if (!Number.isSafeInteger(e.amountCents))
          throw validationError(`Entry ${e.entryId} must move a whole number of cents`);
      }
      if (new Set(moving.map((e) => e.entryId)).size !== moving.length)
        throw validationError("A movement names an entry id twice");
      if (tokens.has(requestToken)) return;
      const used = moving.filter((e) => entries.has(e.entryId));
      if (moving.length && used.length === moving.length) return;
      if (used.length)
        throw conflict("Some of the movement's entry ids were already used by another movement");
      if ((awards.get(awardId)?.revision ?? null) !== award.expectedRevision)
        throw new ConcurrentModification(`Award ${awardId}`);
      if (decidedChange && changes.get(decidedChange.changeId)?.revision !== decidedChange.revision - 1)
        throw new ConcurrentModification(`Award ${awardId}`);

      const byPool = new Map<Pool, number>();
      const consumed = new Map<Pool, number>();
      const byPartner = new Map<string, { institution: string; cents: number; legacy: boolean }>();
      for (const e of moving) {
        if (isConsumption(e)) {
          consumed.set(e.pool, (consumed.get(e.pool) ?? 0) - e.amountCents);
          continue;
        }
        byPool.set(e.pool, (byPool.get(e.pool) ?? 0) + e.amountCents);
        if (e.strategicPartner && e.pool === "credits") {
          const key = partnerKeyOf(e);
          const p = byPartner.get(key) ?? { institution: e.institution, cents: 0, legacy: !e.institutionId };
          p.cents += e.amountCents;
          byPartner.set(key, p);
        }
      }
      const short: BudgetShortfall[] = [];
      let overReleased = false;
      for (const [pool, cents] of byPool) {
        if (cents === 0) continue;
        const balance = pools.get(poolKey(programId, pool));
        if (!balance) throw notFound(`The ${pool} pool of program ${programId}`);
        if (cents < 0) overReleased ||= balance.committedCents < -cents;
        else if (balance.availableCents < cents)
          short.push({ kind: "pool", pool, requestedCents: cents, availableCents: balance.availableCents });
      }
      for (const [key, { institution, cents, legacy }] of byPartner) {
        if (cents === 0) continue;
        const balance = partners.get(partnerKey(programId, key));
        if (cents < 0) {
          overReleased ||= !balance || balance.heldCents < -cents;
          continue;
        }
        const cap = legacyCaps.get(programId);
        if (legacy && cap === undefined && !balance) throw notFound(`The ledger of program ${programId}`);
        const remaining = balance ? balance.remainingCents : legacy ? (cap as number) : 0;
        if (remaining < cents)
          short.push({
            kind: "partner-cap",
            pool: "credits",
            institution,
            requestedCents: cents,
            availableCents: remaining,
          });
      }
      for (const [pool, used] of consumed)
        if (used !== 0 && !pools.has(poolKey(programId, pool)))
          throw notFound(`The ${pool} pool of program ${programId}`);
      if (short.length) throw new BudgetExhausted(short);
      if (overReleased) throw conflict(`A release of award ${awardId} exceeds what its balances hold`);

      for (const [pool, cents] of byPool) {
        const balance = pools.get(poolKey(programId, pool)) as PoolBalance;
        balance.committedCents += cents;
        balance.availableCents -= cents;
      }
      for (const [pool, used] of consumed) {
        (pools.get(poolKey(programId, pool)) as PoolBalance).consumedCents += used;
      }
      for (const [key, { institution, cents, legacy }] of byPartner) {
        if (cents === 0) continue;
        const k = partnerKey(programId, key);
        const cap = legacy ? (legacyCaps.get(programId) ?? 0) : 0;
        const balance = partners.get(k) ?? {
          programId,
          institution,
          institutionKey: key,
          capCents: cap,
          heldCents: 0,
          remainingCents: cap,
        };
        balance.heldCents += cents;
        balance.remainingCents -= cents;
        partners.set(k, balance);
      }
      for (const e of moving) entries.set(e.entryId, structuredClone(e));
      awards.set(awardId, structuredClone(award.item) as unknown as Award);
      if (decidedChange) changes.set(decidedChange.changeId, structuredClone(decidedChange));
      tokens.add(requestToken);
      events.push(...evs);
    },
    async entriesForAward(awardId) {
      return ordered([...entries.values()].filter((e) => e.awardId === awardId));
    },
    async entriesForProgram(programId) {
      return ordered([...entries.values()].filter((e) => e.programId === programId));
    },
    async pools(programId) {
      return (["cash", "credits"] as const).flatMap((pool) => {
        const balance = pools.get(poolKey(programId, pool));
        return balance ? [structuredClone(balance)] : [];
      });
    },
    async partners(programId) {
      return [...partners.values()]
        .filter((p) => p.programId === programId)
        .sort((a, b) => institutionKey(a.institutionKey).localeCompare(institutionKey(b.institutionKey)))
        .map((p) => structuredClone(p));
    },
    async partnerBalance(programId, institution) {
      const balance = partners.get(partnerKey(programId, institution));
      if (balance) return { heldCents: balance.heldCents, capCents: balance.capCents };
      const cap = legacyCaps.get(programId);
      return cap === undefined ? undefined : { heldCents: 0, capCents: cap };
    },
    async openPools(programId, amounts, partnerCapCents) {
      const open = (pool: Pool, totalCents: number) => {
        const existing = pools.get(poolKey(programId, pool));
        if (existing && existing.totalCents !== totalCents)
          throw conflict(`The ledger of program ${programId} is already open with other amounts`);
        if (!existing)
          pools.set(poolKey(programId, pool), {
            programId,
            pool,
            totalCents,
            committedCents: 0,
            consumedCents: 0,
            availableCents: totalCents,
          });
      };
      open("cash", amounts.cashCents);
      open("credits", amounts.creditsCents);
      const cap = legacyCaps.get(programId);
      if (cap !== undefined && cap !== partnerCapCents)
        throw conflict(`The ledger of program ${programId} is already open with other amounts`);
      legacyCaps.set(programId, partnerCapCents);
    },
  };
  return { repo, events, pools, partners };
};

/**
 * Change requests in memory with the adapter's rules: one open request per kind and award, a
 * decision written under the request's revision together with the award's. `items` and `awards`
 * are shared with memoryLedger and memoryAwards.
 */
export const memoryChanges = (awards: Map<string, Award>, items = new Map<string, ChangeRequest>()) => {
  const events: DomainEvent[] = [];
  const byRequestedAt = (a: ChangeRequest, b: ChangeRequest) =>
    a.requestedAt.localeCompare(b.requestedAt) || a.changeId.localeCompare(b.changeId);
  const repo: ChangeRequestRepository = {
    async get(awardId, changeId) {
      const c = items.get(changeId);
      return c && c.awardId === awardId ? structuredClone(c) : undefined;
    },
    async listForAward(awardId) {
      return [...items.values()]
        .filter((c) => c.awardId === awardId)
        .sort(byRequestedAt)
        .map((c) => structuredClone(c));
    },
    async listByStatus(status, { limit, cursor }) {
      const all = [...items.values()].filter((c) => c.status === status).sort(byRequestedAt);
      const after = cursor === undefined ? -1 : all.findIndex((c) => c.changeId === cursor);
      if (cursor !== undefined && after < 0)
        throw validationError("The cursor is invalid", [
          { field: "cursor", message: "is not a cursor this listing returned" },
        ]);
      const start = after + 1;
      const page = all.slice(start, start + limit);
      const last = page.at(-1);
      return {
        items: page.map((c) => structuredClone(c)),
        ...(start + limit < all.length && last ? { nextCursor: last.changeId } : {}),
      };
    },
    async open(change, evs) {
      const open = [...items.values()].find(
        (c) => c.awardId === change.awardId && c.kind === change.kind && c.status === "pending",
      );
      if (open)
        throw conflict(
          `Award ${change.awardId} already has an open ${change.kind} request (${open.changeId})`,
        );
      if (items.has(change.changeId)) throw conflict(`Change request ${change.changeId} exists already`);
      items.set(change.changeId, structuredClone(change));
      events.push(...evs);
    },
    async decide(change, award, evs) {
      if (items.get(change.changeId)?.revision !== change.revision - 1)
        throw new ConcurrentModification(`Change request ${change.changeId}`);
      if (award && awards.get(award.awardId)?.revision !== award.revision - 1)
        throw new ConcurrentModification(`Award ${award.awardId}`);
      items.set(change.changeId, structuredClone(change));
      if (award) awards.set(award.awardId, structuredClone(award));
      events.push(...evs);
    },
  };
  return { repo, items, events };
};

/** Idempotency keys in memory with the adapter's rules: a day's retention, a claim stale after a minute. */
export const memoryIdempotency = () => {
  const records = new Map<
    string,
    {
      fingerprint: string;
      state: "running" | "completed";
      claimedUntil: number;
      expiresAt: number;
      response?: StoredResponse;
    }
  >();
  const idOf = (s: IdempotencyScope) => JSON.stringify([s.actorId, s.route, s.key]);
  const store: IdempotencyStore = {
    async claim(scope, fingerprint, now) {
      const r = records.get(idOf(scope));
      const seconds = Math.floor(now.getTime() / 1000);
      const takeable =
        !r ||
        r.expiresAt < seconds ||
        (r.state === "running" && r.claimedUntil < now.getTime() && r.fingerprint === fingerprint);
      if (takeable) {
        records.set(idOf(scope), {
          fingerprint,
          state: "running",
          claimedUntil: now.getTime() + 60_000,
          expiresAt: seconds + 24 * 3600,
        });
        return { kind: "run" };
      }
      if (r.fingerprint !== fingerprint) return { kind: "mismatch" };
      if (r.state === "completed")
        return { kind: "replay", response: structuredClone(r.response as StoredResponse) };
      return { kind: "in_progress" };
    },
    async complete(scope, fingerprint, response) {
      const r = records.get(idOf(scope));
      if (r?.fingerprint !== fingerprint) throw conflict("The key was claimed for another request");
      r.state = "completed";
      r.response = structuredClone({ status: response.status, body: response.body ?? null });
    },
    async release(scope, fingerprint) {
      const r = records.get(idOf(scope));
      if (r?.state === "running" && r.fingerprint === fingerprint) records.delete(idOf(scope));
    },
  };
  return { store, records };
};

// A cursor is the sort key of the last item returned (`<createdAt>#<id>`), opaque to callers.
const NOTIFICATION_CURSOR = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#ntf_[0-9a-z]{26}$/;

/** Notifications in memory, with the adapter's rules: first write wins, newest first, a cursor after an item. */
export const memoryNotifications = () => {
  const items = new Map<string, Notification>();
  const sortOf = (n: Notification) => `${n.createdAt}#${n.notificationId}`;
  const page = (list: Notification[], options: ListOptions) => {
    let sorted = list
      .filter((n) => !options.proposalId || n.related.proposalId === options.proposalId)
      .sort((a, b) => sortOf(b).localeCompare(sortOf(a)));
    if (options.cursor) {
      const after = Buffer.from(options.cursor, "base64url").toString("utf8");
      if (!NOTIFICATION_CURSOR.test(after))
        throw validationError("The cursor is invalid", [
          { field: "cursor", message: "is not a cursor this listing returned" },
        ]);
      sorted = sorted.filter((n) => sortOf(n) < after);
    }
    const slice = sorted.slice(0, options.limit).map((n) => structuredClone(n));
    const last = slice.at(-1);
    return {
      items: slice,
      nextCursor:
        last && sorted.length > options.limit
          ? Buffer.from(sortOf(last), "utf8").toString("base64url")
          : undefined,
    };
  };
  const repo: NotificationRepository = {
    async putIfAbsent(n) {
      if (items.has(n.notificationId)) return false;
      items.set(n.notificationId, structuredClone(n));
      return true;
    },
    async markSent(id, at) {
      const n = items.get(id);
      if (!n) throw notFound(`Notification ${id}`);
      items.set(id, { ...n, status: "sent", sentAt: n.sentAt ?? at });
    },
    async get(id) {
      const n = items.get(id);
      return n ? structuredClone(n) : undefined;
    },
    async listForRecipient(userId, options) {
      return page(
        [...items.values()].filter((n) => n.recipient.userId === userId),
        options,
      );
    },
    async listAll(options) {
      return page([...items.values()], options);
    },
    async nextQueuedRecipient(after) {
      const users = [...items.values()]
        .filter((n) => n.status === "queued" && n.recipient.userId !== undefined)
        .map((n) => n.recipient.userId as string)
        .filter((u) => after === undefined || u > after)
        .sort();
      return users[0];
    },
    async listQueued(userId, limit) {
      return [...items.values()]
        .filter((n) => n.status === "queued" && n.recipient.userId === userId)
        .sort((a, b) => sortOf(a).localeCompare(sortOf(b)))
        .slice(0, limit)
        .map((n) => structuredClone(n));
    },
    async markDigested(notification, digestId, sentAt) {
      const n = items.get(notification.notificationId);
      if (!n) throw notFound(`Notification ${notification.notificationId}`);
      items.set(n.notificationId, {
        ...n,
        status: "sent",
        sentAt: n.sentAt ?? sentAt,
        digestId: n.digestId ?? digestId,
      });
    },
  };
  return { repo, items };
};

/** Notification preferences in memory: one record per user, replaced whole. */
export const memoryNotificationPreferences = () => {
  const items = new Map<string, NotificationPreferences>();
  const repo: NotificationPreferenceRepository = {
    async get(userId) {
      const p = items.get(userId);
      return p ? structuredClone(p) : undefined;
    },
    async put(preferences) {
      items.set(preferences.userId, structuredClone(preferences));
    },
  };
  return { repo, items };
};

/** Outputs in memory with the adapter's rules: created once per id, saved under their revision, overdue recorded once. */
export const memoryOutputs = () => {
  const items = new Map<string, Output>();
  const overdue = new Set<string>();
  const events: DomainEvent[] = [];
  const key = (awardId: string, outputId: string) => `${awardId}/${outputId}`;
  const sorted = (list: Output[]) =>
    list.sort((a, b) => a.registeredAt.localeCompare(b.registeredAt)).map((o) => structuredClone(o));
  const repo: OutputRepository = {
    async get(awardId, outputId) {
      const o = items.get(key(awardId, outputId));
      return o ? structuredClone(o) : undefined;
    },
    listForAward: async (awardId) => sorted([...items.values()].filter((o) => o.awardId === awardId)),
    listForProgram: async (programId) => sorted([...items.values()].filter((o) => o.programId === programId)),
    listAll: async () => sorted([...items.values()]),
    async create(o, evs) {
      if (items.has(key(o.awardId, o.outputId))) return false;
      items.set(key(o.awardId, o.outputId), structuredClone(o));
      events.push(...evs);
      return true;
    },
    async save(o, evs) {
      if (items.get(key(o.awardId, o.outputId))?.revision !== o.revision - 1)
        throw new ConcurrentModification(`Output ${o.outputId}`);
      items.set(key(o.awardId, o.outputId), structuredClone(o));
      events.push(...evs);
    },
    async recordOverdue(r, evs) {
      const k = `${r.awardId}/${r.obligation}/${r.dueAt}`;
      if (overdue.has(k)) return false;
      overdue.add(k);
      events.push(...evs);
      return true;
    },
  };
  return { repo, items, overdue, events };
};
