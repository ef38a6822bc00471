import type { CallRepository } from "../src/call/ports.js";
import type { Call } from "../src/call/schema.js";
import { ConcurrentModification, conflict } from "../src/errors.js";
import type { DomainEvent } from "../src/events/define.js";
import type { PartnerInstitutionRecord, ProgramRecord, ProgramRepository } from "../src/program/ports.js";
import type { ProposalClaim, ProposalRepository, ReviewWorkflow } from "../src/proposal/ports.js";
import type { Proposal } from "../src/proposal/schema.js";
import type { Assignment, AssignmentRepository } from "../src/review/assignments-ports.js";
import type { ReviewerRecord, ReviewerRepository } from "../src/review/ports.js";

/** An in-memory ProposalRepository with the same conflict rules as the DynamoDB adapter. */
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
      if (items.has(p.proposalId)) throw conflict("exists");
      takeClaims(options?.claims);
      items.set(p.proposalId, structuredClone(p));
      events.push(...evs);
    },
    async update(p, evs, options) {
      if (items.get(p.proposalId)?.revision !== p.revision - 1) throw conflict("changed");
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
      if (items.get(a.assignmentId)?.revision !== a.revision - 1) throw conflict("changed");
      if (options?.releaseLoad) (reviewers.get(a.reviewerId) as ReviewerRecord).openAssignments--;
      items.set(a.assignmentId, structuredClone(a));
      events.push(...evs);
    },
  };
  return { repo, items, events };
};
