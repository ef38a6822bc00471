import type { Clock } from "../clock.js";
import type { Compliance } from "../output/compliance.js";
import type { ProgramReader } from "../proposal/ports.js";
import type { LedgerRepository } from "./ledger.js";
import type { AwardRepository } from "./ports.js";

// What the closeout's steps need from outside the domain: its two workflows, and the ledger's
// and the outputs' functions bound where functions are composed.

/** Where one attempt of an award's closeout workflow stands ("absent": never started). */
export type CloseoutRun = "absent" | "running" | "succeeded" | "failed";

/**
 * Starts the closeout workflow of an award; one execution per award and attempt (1 unless a
 * staff resume began another), a second start of one is none.
 */
export interface CloseoutWorkflow {
  start(input: { awardId: string; reason: string; early: boolean; attempt?: number }): Promise<void>;
  /** Where the award's closeout stands at that attempt. */
  state(awardId: string, attempt: number): Promise<CloseoutRun>;
  /** Completes the final report's callback; a callback already completed is not an error. */
  complete(taskToken: string, output: Record<string, unknown>): Promise<void>;
}

/** A durable timer per award that ends in `checkAwardTerm`; starting it twice is one timer. */
export interface AwardTermTimer {
  start(input: { awardId: string; endsAt: string }): Promise<void>;
}

/**
 * The ledger's settlement at closeout (`settleConsumption`, `settleCash` of the ledger's
 * consumption), bound to their dependencies where the functions are composed.
 */
export interface CloseoutSettlement {
  settleConsumption(
    awardId: string,
    cause: string,
  ): Promise<{ consumedCents: number; settledCents: number; overageCents: number }>;
  settleCash(awardId: string, spentCents: number, cause: string): Promise<unknown>;
}

/** Compliance at closing: `evaluateCompliance` of the outputs, bound where functions are composed. */
export interface CloseoutCompliance {
  evaluate(awardId: string, asOf: string): Promise<Pick<Compliance, "obligations">>;
}

export interface CloseoutDeps {
  awards: AwardRepository;
  programs: ProgramReader;
  ledger: LedgerRepository;
  clock: Clock;
}
