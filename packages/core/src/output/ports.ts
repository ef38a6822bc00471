import type { DomainEvent } from "../events/define.js";
import type { Output, OutputKind } from "./schema.js";

// The outside services (verification-ports.ts) and where outputs and their runs are kept.
export * from "./verification-ports.js";

/** Outputs live with their award; listings read them by award, by program, or all at once. */
export interface OutputRepository {
  get(awardId: string, outputId: string): Promise<Output | undefined>;
  /** An award's outputs, strongly consistent (compliance is judged on them). */
  listForAward(awardId: string): Promise<Output[]>;
  /** A program's outputs, every award's (eventually consistent). */
  listForProgram(programId: string): Promise<Output[]>;
  /** Every output of every program: the periodic re-check walks them. */
  listAll(): Promise<Output[]>;
  /** Writes a new output with its events; false (and nothing written) when its id exists already. */
  create(output: Output, events: DomainEvent[]): Promise<boolean>;
  /** Writes if the stored revision is `output.revision - 1`; else ConcurrentModification. */
  save(output: Output, events: DomainEvent[]): Promise<void>;
  /**
   * Records that an obligation went overdue at its due date, with its event, once: false when
   * it was recorded already (a retried timer task).
   */
  recordOverdue(
    overdue: { awardId: string; obligation: OutputKind; dueAt: string; at: string },
    events: DomainEvent[],
  ): Promise<boolean>;
}

/** Runs one verification of an output durably, retrying a service that cannot answer now; a name starts one run. */
export interface VerificationRuns {
  start(input: { awardId: string; outputId: string; runName: string }): Promise<void>;
}

/** The durable timer of one obligation of one award (reminders, then overdue); starting it twice is one timer. */
export interface ObligationTimers {
  start(input: { awardId: string; obligation: OutputKind }): Promise<void>;
}
