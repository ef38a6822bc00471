import type { DomainEvent } from "../events/define.js";
import type { StoredUsage, UsageRecord } from "./schema.js";

export interface UsageTotals {
  consumedCents: number;
  byDay: Array<{ day: string; chargeCents: number; records: number }>;
}

export interface UsageRepository {
  /**
   * Stores accepted records for the processor, each only if its record id is not stored yet
   * (one record per id, never overwritten). Returns, per record id, the record the store holds:
   * the one given, or the one received earlier with that id. Starts no write after `until`
   * (epoch ms): the ids it did not get to are missing from the answer. Safe to repeat and to race.
   */
  store(records: StoredUsage[], until?: number): Promise<Map<string, UsageRecord>>;
  /**
   * Counts records of one award exactly once each (a marker per record id in the same
   * transaction as the counter); returns how many were newly counted.
   */
  apply(
    awardId: string,
    records: StoredUsage[],
    /**
     * The award's program: when given, the compute records' chip-seconds per day are added to
     * the program's utilization in the same transaction (exactly once, like the counter).
     */
    programId?: string,
  ): Promise<{ counted: number; duplicates: number }>;
  totals(awardId: string): Promise<UsageTotals>;
  /** The thresholds among `candidates` already raised for the award. */
  thresholdsRaised(awardId: string, candidates: number[]): Promise<number[]>;
  /** Marks the threshold raised and writes its events, once; false if it was already raised. */
  raiseThreshold(awardId: string, threshold: number, events: DomainEvent[]): Promise<boolean>;
  /** Writes events through the outbox with nothing else. */
  publish(events: DomainEvent[]): Promise<void>;
}
