import type { DomainEvent } from "../events/define.js";
import type { Reservation, ReservationStatus } from "./schema.js";

export type GrantOutcome =
  | { granted: true }
  /** Some hour of the window has fewer free chips than asked. */
  | { granted: false; reason: "capacity" }
  /** The award's hold cannot take the amount: what is held and what is left of its credits. */
  | { granted: false; reason: "credits"; heldCents: number; availableCents: number }
  /** The reservation is no longer in the state the grant expected (granted or cancelled meanwhile). */
  | { granted: false; reason: "stale" };

export interface ReservationHold {
  awardId: string;
  /** The award's credits as the hold item last knew them. */
  creditsCents: number;
  heldCents: number;
  availableCents: number;
}

export interface ReservationRepository {
  get(awardId: string, reservationId: string): Promise<Reservation | undefined>;
  listByAward(awardId: string): Promise<Reservation[]>;
  /** The program's queued reservations, oldest request first. */
  queued(programId: string): Promise<Reservation[]>;
  /** Granted or suspended reservations of an award. */
  holding(awardId: string): Promise<Reservation[]>;
  /**
   * Takes the chips of every hour of the window (each slot created on first use at `capacity`),
   * the hold on the award's credits, and writes the reservation (new, or the queued one it was)
   * with its events: all or nothing, in one transaction.
   */
  grant(input: {
    reservation: Reservation;
    previous: ReservationStatus | null;
    capacity: number;
    creditsCents: number;
    events: DomainEvent[];
  }): Promise<GrantOutcome>;
  /** Gives the chips and the hold back and writes the reservation's new status, in one transaction. */
  release(reservation: Reservation, previous: ReservationStatus, events: DomainEvent[]): Promise<void>;
  /** A change that moves no chips or credits; DomainError "conflict" if the status moved meanwhile. */
  save(reservation: Reservation, previous: ReservationStatus | null, events: DomainEvent[]): Promise<void>;
  hold(awardId: string): Promise<ReservationHold | undefined>;
  /** Raises the hold's credits to the award's (a top-up); nothing if it already knows them. */
  syncCredits(awardId: string, creditsCents: number): Promise<void>;
  /** Free chips per hour; hours never reserved are absent (all free). */
  freeChips(programId: string, hours: string[]): Promise<Map<string, number>>;
}

/** A durable timer per granted reservation that ends in `releaseIfUnused`; starting it twice is one timer. */
export interface ReservationGraceTimer {
  start(input: { awardId: string; reservationId: string; graceEndsAt: string }): Promise<void>;
}
