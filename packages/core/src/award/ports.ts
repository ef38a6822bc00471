import type { DomainEvent } from "../events/define.js";
import type { Award, AwardStatus } from "./schema.js";

/** Award records for changes that move no money; money moves through the ledger. */
export interface AwardRepository {
  get(awardId: string): Promise<Award | undefined>;
  /** The awards that exist among these ids (consistent reads, in any order). */
  getMany(awardIds: string[]): Promise<Award[]>;
  /** Writes if the stored revision is `award.revision - 1`; else DomainError "conflict". */
  update(award: Award, events: DomainEvent[]): Promise<void>;
  listByProgram(programId: string, status?: AwardStatus): Promise<Award[]>;
  listByApplicant(applicantId: string): Promise<Award[]>;
}
