import type { DomainEvent } from "../events/define.js";
import type { Program } from "./schema.js";

/** A program as stored: who created it and when, so every program traces back to a person. */
export type ProgramRecord = Program & { createdAt: string; createdBy: string };

/** Program persistence; a write carries the events it causes, committed together. */
export interface ProgramRepository {
  get(programId: string): Promise<ProgramRecord | undefined>;
  /** Throws DomainError "conflict" when the program already exists. */
  insert(program: ProgramRecord, events: DomainEvent[]): Promise<void>;
  /** Every program, by id. */
  list(): Promise<ProgramRecord[]>;
}
