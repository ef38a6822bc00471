import type { DomainEvent } from "../events/define.js";
import type { Proposal } from "./schema.js";

/** Proposal persistence; every write carries the events it causes, committed together. */
export interface ProposalRepository {
  get(proposalId: string): Promise<Proposal | undefined>;
  /** Throws DomainError "conflict" when the proposal already exists. */
  insert(proposal: Proposal, events: DomainEvent[]): Promise<void>;
  /** Throws DomainError "conflict" when the stored revision is not `proposal.revision - 1`. */
  update(proposal: Proposal, events: DomainEvent[]): Promise<void>;
}

/** The review workflow as the domain sees it. */
export interface ReviewWorkflow {
  start(proposalId: string): Promise<void>;
  /** Completes a parked callback; completing one that already finished is not an error. */
  complete(taskToken: string, output: unknown): Promise<void>;
  history(proposalId: string): Promise<WorkflowHistory>;
}

export interface WorkflowHistory {
  status: string;
  startedAt?: string;
  stoppedAt?: string;
  events: Array<{ id: number; type: string; timestamp: string; state?: string }>;
}
