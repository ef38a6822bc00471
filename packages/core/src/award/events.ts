import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const ids = { awardId: z.string(), proposalId: z.string(), programId: z.string() };
const money = { cashCents: z.number().int(), creditsCents: z.number().int() };

export const BudgetCommitted = defineEvent(
  Sources.awards,
  "Budget Committed",
  1,
  z.object({
    ...ids,
    ...money,
    kind: z.enum(["commit", "topup"]),
    /** The approved change request this top-up grants, if it came from one (its own notice says so). */
    changeId: z.string().optional(),
  }),
);
export const BudgetReleased = defineEvent(
  Sources.awards,
  "Budget Released",
  1,
  z.object({ ...ids, ...money, reason: z.string() }),
);
/** Committing was refused (a pool or a cap): the decision goes back to staff with the numbers. */
export const AwardCommitRefused = defineEvent(
  Sources.awards,
  "Award Commit Refused",
  1,
  z.object({ proposalId: z.string(), programId: z.string() }),
);
export const AwardOffered = defineEvent(
  Sources.awards,
  "Award Offered",
  1,
  z.object({ ...ids, offerExpiresAt: z.string() }),
);
export const AwardAccepted = defineEvent(Sources.awards, "Award Accepted", 1, z.object(ids));
export const AwardDeclined = defineEvent(Sources.awards, "Award Declined", 1, z.object(ids));
export const AwardLapsed = defineEvent(Sources.awards, "Award Lapsed", 1, z.object(ids));
export const ProvisioningRequested = defineEvent(Sources.awards, "Provisioning Requested", 1, z.object(ids));
export const CreditsProvisioned = defineEvent(
  Sources.awards,
  "Credits Provisioned",
  1,
  z.object({ ...ids, projectId: z.string() }),
);
export const ProvisioningFailed = defineEvent(
  Sources.awards,
  "Provisioning Failed",
  1,
  z.object({ ...ids, error: z.string() }),
);
export const AwardSuspended = defineEvent(Sources.awards, "Award Suspended", 1, z.object(ids));
export const AwardResumed = defineEvent(Sources.awards, "Award Resumed", 1, z.object(ids));
export const AwardRevoked = defineEvent(Sources.awards, "Award Revoked", 1, z.object(ids));
export const AwardExtended = defineEvent(
  Sources.awards,
  "Award Extended",
  1,
  z.object({
    ...ids,
    endsAt: z.string(),
    /** The approved change request this extension grants, if it came from one. */
    changeId: z.string().optional(),
  }),
);
/** A grantee asked for a change to their award (supplement, no-cost extension, early closeout). */
export const ChangeRequested = defineEvent(
  Sources.awards,
  "Change Requested",
  1,
  z.object({ ...ids, changeId: z.string(), kind: z.enum(["supplement", "extension", "early-closeout"]) }),
);
/** Staff approved or denied a change request; the rationale is on the request record. */
export const ChangeDecided = defineEvent(
  Sources.awards,
  "Change Decided",
  1,
  z.object({
    ...ids,
    changeId: z.string(),
    kind: z.enum(["supplement", "extension", "early-closeout"]),
    decision: z.enum(["approved", "denied"]),
  }),
);
/**
 * An award is to close before its term ends (an approved early-closeout request): the closeout
 * workflow starts on it exactly as on the term timer. `reason` is the request's justification.
 */
export const AwardCloseoutRequested = defineEvent(
  Sources.awards,
  "Award Closeout Requested",
  1,
  z.object({ ...ids, reason: z.string() }),
);

/** Consumption moved into the ledger (amounts: what this settlement moved, per pool). */
export const ConsumptionSettled = defineEvent(
  Sources.awards,
  "Consumption Settled",
  1,
  z.object({
    ...ids,
    ...money,
    consumedCreditsCents: z.number().int(),
    consumedCashCents: z.number().int(),
    overageCents: z.number().int(),
  }),
);
/** The award's credits are used up: the provider inactivates its project (once per crossing). */
export const ProjectInactivated = defineEvent(
  Sources.awards,
  "Project Inactivated",
  1,
  z.object({ ...ids, reason: z.string() }),
);
/** The award holds credits again (a top-up, a refund): the provider reactivates its project. */
export const ProjectReactivated = defineEvent(Sources.awards, "Project Reactivated", 1, z.object(ids));

export const awardEvents = [
  BudgetCommitted,
  BudgetReleased,
  AwardCommitRefused,
  AwardOffered,
  AwardAccepted,
  AwardDeclined,
  AwardLapsed,
  ProvisioningRequested,
  CreditsProvisioned,
  ProvisioningFailed,
  AwardSuspended,
  AwardResumed,
  AwardRevoked,
  AwardExtended,
  AwardCloseoutRequested,
  ConsumptionSettled,
  ProjectInactivated,
  ProjectReactivated,
  ChangeRequested,
  ChangeDecided,
];
