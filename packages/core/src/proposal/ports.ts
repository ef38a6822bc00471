import type { Call } from "../call/schema.js";
import type { DomainEvent } from "../events/define.js";
import type { PartnerInstitutionRecord } from "../program/ports.js";
import type { Program } from "../program/schema.js";
import type { Proposal, ProposalStatus } from "./schema.js";

/**
 * A uniqueness the domain needs, taken for good by the write that makes it true; the adapter
 * decides how it is stored. One proposal per PI e-mail (lower-cased) per call.
 */
export type ProposalClaim = { kind: "pi-per-call"; callId: string; piEmail: string };

export interface WriteOptions {
  /** Claims this write takes for good; the write fails with "conflict" when one is taken. */
  claims?: ProposalClaim[];
}

/** Proposal persistence; every write carries the events it causes, committed together. */
export interface ProposalRepository {
  get(proposalId: string): Promise<Proposal | undefined>;
  /** Throws DomainError "conflict" when the proposal (or a claim) already exists. */
  insert(proposal: Proposal, events: DomainEvent[], options?: WriteOptions): Promise<void>;
  /** Throws DomainError "conflict" when the stored revision is not `proposal.revision - 1` or a claim is taken. */
  update(proposal: Proposal, events: DomainEvent[], options?: WriteOptions): Promise<void>;
  listByCall(callId: string, status?: ProposalStatus): Promise<Proposal[]>;
  listByApplicant(applicantId: string): Promise<Proposal[]>;
}

/** What proposal commands read of calls and programs. */
export interface CallReader {
  get(callId: string): Promise<Call | undefined>;
}
export interface ProgramReader {
  get(programId: string): Promise<Program | undefined>;
}
/** A program together with its partner institutions, which decide partner status and caps. */
export interface ProgramWithPartnersReader extends ProgramReader {
  listInstitutions(programId: string): Promise<PartnerInstitutionRecord[]>;
}

/**
 * The proposal's workflow as the domain sees it: its review (screening to the committed
 * decision), then its award (acceptance, provisioning), each one execution named by the proposal.
 */
export interface ReviewWorkflow {
  /** Starts the proposal's review; the correlation id goes into its input, for the tasks' logs. */
  start(proposalId: string, correlationId?: string): Promise<void>;
  /** Starts the award part for an offered award; starting it twice is not an error. */
  startAward(
    proposalId: string,
    awardId: string,
    offerTimeoutSeconds: number,
    correlationId?: string,
  ): Promise<void>;
  /** Completes a parked callback; completing one that already finished is not an error. */
  complete(taskToken: string, output: unknown): Promise<void>;
  /** Fails a parked callback with a named error the workflow catches. */
  fail(taskToken: string, error: string, cause: string): Promise<void>;
  /** A new execution that enters at provisioning (staff re-drive after a failure), named by its round. */
  startProvisioning(proposalId: string, awardId: string, round: number): Promise<void>;
  /** Stops the execution (withdrawal); stopping a finished one is not an error. */
  stop(proposalId: string, cause: string): Promise<void>;
  /** Every execution of the proposal's workflow: the review, the award and each re-drive, newest first. */
  history(proposalId: string): Promise<WorkflowHistory>;
}

export interface WorkflowExecution {
  name: string;
  /** "review" and "award": the proposal's own executions; "redrive": one started by staff after a failure. */
  kind: "review" | "award" | "redrive";
  status: string;
  startedAt?: string;
  stoppedAt?: string;
  events: Array<{ id: number; type: string; timestamp: string; state?: string; error?: string }>;
}

export interface WorkflowHistory {
  /** Where the proposal's workflow stands now: the status of its newest execution. */
  status: string;
  /** The newest execution's name. */
  current: string;
  /** Newest first. */
  executions: WorkflowExecution[];
}
