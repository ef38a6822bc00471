import type { DomainEvent } from "../events/define.js";
import type { StoredUsage } from "./schema.js";

export interface UsageTotals {
  consumedCents: number;
  byDay: Array<{ day: string; chargeCents: number; records: number }>;
}

export interface UsageRepository {
  /** Stores accepted records for the processor; storing a record id again rewrites the same item. */
  store(records: StoredUsage[]): Promise<void>;
  /**
   * Counts records of one award exactly once each (a marker per record id in the same
   * transaction as the counter); returns how many were newly counted.
   */
  apply(awardId: string, records: StoredUsage[]): Promise<{ counted: number; duplicates: number }>;
  totals(awardId: string): Promise<UsageTotals>;
  /** The thresholds among `candidates` already raised for the award. */
  thresholdsRaised(awardId: string, candidates: number[]): Promise<number[]>;
  /** Marks the threshold raised and writes its events, once; false if it was already raised. */
  raiseThreshold(awardId: string, threshold: number, events: DomainEvent[]): Promise<boolean>;
  /** Writes events through the outbox with nothing else. */
  publish(events: DomainEvent[]): Promise<void>;
}
