import type { DomainEvent } from "../events/define.js";
import type { StoredUsage, UsageRecord } from "./schema.js";

export interface UsageTotals {
  consumedCents: number;
  byDay: Array<{ day: string; chargeCents: number; records: number }>;
}

export interface StoreOptions {
  /** Starts no write after this (epoch ms): the ids it did not get to are missing from the answer. */
  until?: number;
  /**
   * The program of each award the records name: its utilization counts the compute records'
   * chip-seconds per day in the same write (none for an award it does not know).
   */
  programOf?: (awardId: string) => string | undefined;
}

export interface UsageRepository {
  /**
   * Stores accepted records and counts them in one step: each record id is stored once, never
   * overwritten, by the same atomic write that adds its charge to its award's counter, so a stored
   * record is a counted record and a record id is counted once however often it is sent. Returns,
   * per record id, the record the store holds: the one given, or the one received earlier with
   * that id. Safe to repeat and to race.
   */
  store(records: StoredUsage[], options?: StoreOptions): Promise<Map<string, UsageRecord>>;
  totals(awardId: string): Promise<UsageTotals>;
  /** The award's consumedCents alone: a few small reads, whatever the length of its history. */
  consumed(awardId: string): Promise<number>;
  /** The thresholds among `candidates` already raised for the award. */
  thresholdsRaised(awardId: string, candidates: number[]): Promise<number[]>;
  /** Marks the threshold raised and writes its events, once; false if it was already raised. */
  raiseThreshold(awardId: string, threshold: number, events: DomainEvent[]): Promise<boolean>;
  /** Writes events through the outbox with nothing else. */
  publish(events: DomainEvent[]): Promise<void>;
}
