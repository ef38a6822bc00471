import type { DomainEvent } from "../events/define.js";
import type { PartnerInstitutionFields } from "./institutions.js";
import type { Program } from "./schema.js";

/** A program as stored: who created it and when, so every program traces back to a person. */
export type ProgramRecord = Program & { createdAt: string; createdBy: string };

/** A partner institution as stored: one per program and canonical id, with who last changed it. */
export type PartnerInstitutionRecord = PartnerInstitutionFields & {
  programId: string;
  institutionId: string;
  updatedAt: string;
  updatedBy: string;
  revision: number;
};

/** Program persistence; a write carries the events it causes, committed together. */
export interface ProgramRepository {
  get(programId: string): Promise<ProgramRecord | undefined>;
  /** Throws DomainError "conflict" when the program already exists. */
  insert(program: ProgramRecord, events: DomainEvent[]): Promise<void>;
  /** Every program, by id. */
  list(): Promise<ProgramRecord[]>;
  getInstitution(programId: string, institutionId: string): Promise<PartnerInstitutionRecord | undefined>;
  /** A program's partner institutions, by id. */
  listInstitutions(programId: string): Promise<PartnerInstitutionRecord[]>;
  /**
   * Writes the institution when the stored revision is `expectedRevision` (null: none stored),
   * and sets its credit cap on the ledger in the same write. Throws ConcurrentModification when
   * the revision moved, DomainError "conflict" when the institution holds more than the new cap.
   */
  putInstitution(
    institution: PartnerInstitutionRecord,
    expectedRevision: number | null,
    events: DomainEvent[],
  ): Promise<void>;
}
