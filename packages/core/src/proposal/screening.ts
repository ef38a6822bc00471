import type { ProposalSubmission } from "./schema.js";

// The program's caps for the walking skeleton; calls bring their own rules and caps later.
export const skeletonCaps = { maxCashCents: 50_000_000, maxCreditsCents: 1_100_000_000 };

export interface ScreeningResult {
  eligible: boolean;
  reasons: string[];
}

/** Eligibility as a pure function: each failed rule adds a reason the applicant can act on. */
export const screen = (proposal: ProposalSubmission, caps = skeletonCaps): ScreeningResult => {
  const reasons: string[] = [];
  if (proposal.requestedCashCents > caps.maxCashCents) {
    reasons.push(`requested cash exceeds the largest grant of ${caps.maxCashCents} cents`);
  }
  if (proposal.requestedCreditsCents > caps.maxCreditsCents) {
    reasons.push(`requested credits exceed the cap of ${caps.maxCreditsCents} cents`);
  }
  if (proposal.requestedCashCents + proposal.requestedCreditsCents === 0) {
    reasons.push("the proposal requests neither cash nor credits");
  }
  if (!/github|gitlab|open[- ]source|license/i.test(proposal.openSourcePlan)) {
    reasons.push("the open-source plan must name where the work will be published and under which license");
  }
  return { eligible: reasons.length === 0, reasons };
};
