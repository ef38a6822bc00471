import type { Clock } from "../clock.js";
import type { ReviewWorkflow } from "../proposal/ports.js";

/** Whole seconds left until the offer expires, as Step Functions wants a timeout; never less than one. */
export const offerTimeoutSeconds = (offerExpiresAt: string, now: Date) =>
  Math.max(1, Math.ceil((Date.parse(offerExpiresAt) - now.getTime()) / 1000));

/**
 * On an offered award: starts its award workflow (acceptance, provisioning). The execution is
 * named by the proposal, so a redelivered offer finds it started already.
 */
export const startAwardWorkflow = (
  deps: { workflow: Pick<ReviewWorkflow, "startAward">; clock: Clock },
  offer: { proposalId: string; awardId: string; offerExpiresAt: string },
) =>
  deps.workflow.startAward(
    offer.proposalId,
    offer.awardId,
    offerTimeoutSeconds(offer.offerExpiresAt, deps.clock.now()),
  );
