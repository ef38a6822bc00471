import { WorkflowErrors } from "@allot/core";
import {
  choice,
  definition,
  fail,
  invoke,
  isPresent,
  isTrue,
  on,
  onAnyError,
  succeed,
  waitForToken,
} from "../asl/states.js";
import type { Retrier } from "../asl/types.js";

const award = { awardId: "$.award.awardId" };
const FIFTEEN_MINUTES = 900;

const providerRetry = (maxAttempts: number, maxDelaySeconds: number): Retrier => ({
  ErrorEquals: [WorkflowErrors.providerUnavailable],
  IntervalSeconds: 2,
  MaxAttempts: maxAttempts,
  BackoffRate: 2,
  MaxDelaySeconds: maxDelaySeconds,
});

// Compensation runs in reverse of what succeeded: the provider's project goes first, then the
// budget. It retries longer than the forward steps, since giving up leaves a half-made project.
const compensate = onAnyError("Deprovision", "$.error");

export const awardProvisioning = definition(
  "One award from its offer to an active project on the compute provider: acceptance or lapse, provisioning (request, the provider's callback, completion) and its compensation. Started by the award's offer with { proposalId, award: { awardId, offerTimeoutSeconds } } and named by the proposal; a staff re-drive starts one named by its round with { redrive: true }, entering at RequestProvisioning.",
  "Re-drive?",
  {
    "Re-drive?": choice([isPresent("$.redrive", "RequestProvisioning")], "AwaitAcceptance"),
    AwaitAcceptance: waitForToken("await-acceptance", {
      payload: award,
      timeoutSecondsPath: "$.award.offerTimeoutSeconds",
      resultPath: "$.acceptance",
      catch: [on(WorkflowErrors.timeout, "LapseOffer")],
      next: "Accepted?",
    }),
    LapseOffer: invoke("lapse-offer", { payload: award, resultPath: null, next: "OfferLapsed" }),
    OfferLapsed: succeed(),
    "Accepted?": choice([isTrue("$.acceptance.accepted", "RequestProvisioning")], "OfferDeclined"),
    OfferDeclined: succeed(),
    RequestProvisioning: invoke("request-provisioning", {
      payload: award,
      retry: [providerRetry(5, 60)],
      resultPath: null,
      catch: [compensate],
      next: "AwaitProvisioned",
    }),
    AwaitProvisioned: waitForToken("await-provisioned", {
      payload: award,
      timeoutSeconds: FIFTEEN_MINUTES,
      resultPath: "$.allocation",
      catch: [compensate],
      next: "CompleteProvisioning",
    }),
    CompleteProvisioning: invoke("complete-provisioning", {
      payload: { ...award, proposalId: "$$.Execution.Input.proposalId" },
      retry: [providerRetry(5, 60)],
      resultPath: null,
      catch: [compensate],
      next: "Active",
    }),
    Active: succeed(),
    Deprovision: invoke("deprovision-award", {
      payload: award,
      retry: [providerRetry(10, 120)],
      resultPath: null,
      next: "ReleaseBudget",
    }),
    ReleaseBudget: invoke("fail-provisioning", {
      payload: { ...award, error: "$.error" },
      resultPath: null,
      next: "ProvisioningFailed",
    }),
    ProvisioningFailed: fail(
      WorkflowErrors.provisioningFailed,
      "The compute provider could not provision the award; the budget was released and staff were notified. Re-drive with POST /awards/{awardId}/redrive.",
    ),
  },
);
