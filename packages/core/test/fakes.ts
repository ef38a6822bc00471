import { conflict } from "../src/errors.js";
import type { DomainEvent } from "../src/events/define.js";
import type { ProposalRepository, ReviewWorkflow } from "../src/proposal/ports.js";
import type { Proposal } from "../src/proposal/schema.js";

/** An in-memory ProposalRepository with the same conflict rules as the DynamoDB adapter. */
export const memoryProposals = () => {
  const items = new Map<string, Proposal>();
  const events: DomainEvent[] = [];
  const repo: ProposalRepository = {
    async get(id) {
      const p = items.get(id);
      return p ? structuredClone(p) : undefined;
    },
    async insert(p, evs) {
      if (items.has(p.proposalId)) throw conflict("exists");
      items.set(p.proposalId, structuredClone(p));
      events.push(...evs);
    },
    async update(p, evs) {
      if (items.get(p.proposalId)?.revision !== p.revision - 1) throw conflict("changed");
      items.set(p.proposalId, structuredClone(p));
      events.push(...evs);
    },
  };
  return { repo, items, events };
};

export const recordingWorkflow = () => {
  const completed: Array<{ token: string; output: unknown }> = [];
  const workflow: ReviewWorkflow = {
    async start() {},
    async complete(token, output) {
      completed.push({ token, output });
    },
    async history() {
      return { status: "RUNNING", events: [] };
    },
  };
  return { workflow, completed };
};
