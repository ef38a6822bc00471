import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const ids = {
  awardId: z.string().describe("The award's id (awd_…)."),
  proposalId: z.string().describe("The proposal the award came from (prp_…)."),
  programId: z.string().describe("The program whose budget funds the award."),
};
const money = {
  cashCents: z.number().int().describe("Cash, in cents."),
  creditsCents: z.number().int().describe("Compute credits, in cents."),
};
const changeId = z.string().describe("The change request's id (chg_…).");
const changeKind = z
  .enum(["supplement", "extension", "early-closeout"])
  .describe("What the change request asks for.");
const example = {
  awardId: "awd_dkg9g94c2p91rs3akng9hvcqec",
  proposalId: "prp_zbtnnzb4jss7sexq8gajt736f1",
  programId: "model-program",
};

export const BudgetCommitted = defineEvent(
  Sources.awards,
  "Budget Committed",
  1,
  z.object({
    ...ids,
    ...money,
    kind: z.enum(["commit", "topup"]).describe("The first commitment of an approval, or a later top-up."),
    /** The approved change request this top-up grants, if it came from one (its own notice says so). */
    changeId: changeId.optional().describe("The approved change request this top-up grants, if any."),
  }),
  {
    description:
      "Budget was taken from the program's pools for an award, atomically within its caps: at approval (`commit`) or by a top-up. Billing and finance systems book it.",
    example: { ...example, cashCents: 9_000_000, creditsCents: 20_000_000, kind: "commit" },
  },
);
export const BudgetReleased = defineEvent(
  Sources.awards,
  "Budget Released",
  1,
  z.object({
    ...ids,
    ...money,
    reason: z.string().describe("Why the budget went back, in staff's or the system's words."),
  }),
  {
    description:
      "Budget held by an award went back to the program's pools (a declined or lapsed offer, a revocation, a closeout). Billing and finance systems book it.",
    example: { ...example, cashCents: 9_000_000, creditsCents: 20_000_000, reason: "offer lapsed" },
  },
);
/** Committing was refused (a pool or a cap): the decision goes back to staff with the numbers. */
export const AwardCommitRefused = defineEvent(
  Sources.awards,
  "Award Commit Refused",
  1,
  z.object({ proposalId: ids.proposalId, programId: ids.programId }),
  {
    description:
      "An approval could not commit its budget (a pool or a cap would be exceeded); the decision goes back to staff with the numbers. Staff are notified.",
    example: { proposalId: example.proposalId, programId: example.programId },
  },
);
export const AwardOffered = defineEvent(
  Sources.awards,
  "Award Offered",
  1,
  z.object({
    ...ids,
    offerExpiresAt: z.string().describe("When the offer lapses unless accepted (ISO 8601, UTC)."),
  }),
  {
    description:
      "An award was offered to the applicant after approval and budget commitment. Sent once per award; the applicant receives the award letter, and research offices follow it.",
    example: { ...example, offerExpiresAt: "2027-04-01T00:00:00.000Z" },
  },
);
export const AwardAccepted = defineEvent(Sources.awards, "Award Accepted", 1, z.object(ids), {
  description: "The grantee accepted the award offer; provisioning follows. Sent once per award.",
  example,
});
export const AwardDeclined = defineEvent(Sources.awards, "Award Declined", 1, z.object(ids), {
  description: "The applicant declined the award offer; its budget is released. Sent once per award.",
  example,
});
export const AwardLapsed = defineEvent(Sources.awards, "Award Lapsed", 1, z.object(ids), {
  description: "The award offer expired without an answer; its budget is released. Sent once per award.",
  example,
});
export const ProvisioningRequested = defineEvent(Sources.awards, "Provisioning Requested", 1, z.object(ids), {
  description:
    "Allot asked the compute provider to create the award's project and credits. Sent once per award; the compute provider's systems and operations dashboards follow it.",
  example,
});
export const CreditsProvisioned = defineEvent(
  Sources.awards,
  "Credits Provisioned",
  1,
  z.object({ ...ids, projectId: z.string().describe("The compute provider's project id for the award.") }),
  {
    description:
      "The compute provider confirmed the award's project and credits; the award is active. Sent once per award; the grantee is told the credits are ready, and billing starts metering.",
    example: { ...example, projectId: "proj-48213" },
  },
);
export const ProvisioningFailed = defineEvent(
  Sources.awards,
  "Provisioning Failed",
  1,
  z.object({ ...ids, error: z.string().describe("What the provider answered, for operators.") }),
  {
    description:
      "Provisioning at the compute provider failed for good after its retries; the award is compensated and staff can re-drive it. Operations dashboards alert on it.",
    example: { ...example, error: "provider answered 503 for 24 hours" },
  },
);
export const AwardSuspended = defineEvent(Sources.awards, "Award Suspended", 1, z.object(ids), {
  description:
    "Staff suspended an active award; its reservations are suspended too. The compute provider and billing pause the project.",
  example,
});
export const AwardResumed = defineEvent(Sources.awards, "Award Resumed", 1, z.object(ids), {
  description:
    "Staff resumed a suspended award; its reservations resume. The compute provider and billing reopen the project.",
  example,
});
export const AwardRevoked = defineEvent(Sources.awards, "Award Revoked", 1, z.object(ids), {
  description:
    "Staff revoked an award; what it had not used goes back to the program. The compute provider closes the project; billing and research offices book it.",
  example,
});
export const AwardExtended = defineEvent(
  Sources.awards,
  "Award Extended",
  1,
  z.object({
    ...ids,
    endsAt: z.string().describe("The award's new end of term (ISO 8601, UTC)."),
    /** The approved change request this extension grants, if it came from one. */
    changeId: changeId.optional().describe("The approved change request this extension grants, if any."),
  }),
  {
    description:
      "The award's term was extended by staff or by an approved extension request. The compute provider and research offices update the project's end date.",
    example: { ...example, endsAt: "2028-06-30T23:59:59.000Z", changeId: "chg_f2wzfx8dyee23f6h7g670qbf6t" },
  },
);
/** A grantee asked for a change to their award (supplement, no-cost extension, early closeout). */
export const ChangeRequested = defineEvent(
  Sources.awards,
  "Change Requested",
  1,
  z.object({ ...ids, changeId, kind: changeKind }),
  {
    description:
      "A grantee asked for a change to their award: a supplement, a no-cost extension or an early closeout. Staff are notified to decide it.",
    example: { ...example, changeId: "chg_f2wzfx8dyee23f6h7g670qbf6t", kind: "extension" },
  },
);
/** Staff approved or denied a change request; the rationale is on the request record. */
export const ChangeDecided = defineEvent(
  Sources.awards,
  "Change Decided",
  1,
  z.object({
    ...ids,
    changeId,
    kind: changeKind,
    decision: z
      .enum(["approved", "denied"])
      .describe("Staff's decision; the rationale is on the request record."),
  }),
  {
    description:
      "Staff approved or denied a change request. The grantee is notified; an approval is carried out by its own events (Budget Committed, Award Extended, Award Closeout Requested).",
    example: {
      ...example,
      changeId: "chg_f2wzfx8dyee23f6h7g670qbf6t",
      kind: "extension",
      decision: "approved",
    },
  },
);
/**
 * An award is to close before its term ends (an approved early-closeout request): the closeout
 * workflow starts on it exactly as on the term timer. `reason` is the request's justification.
 */
export const AwardCloseoutRequested = defineEvent(
  Sources.awards,
  "Award Closeout Requested",
  1,
  z.object({ ...ids, reason: z.string().describe("The early-closeout request's justification.") }),
  {
    description:
      "An award is to close before its term ends (an approved early-closeout request); the closeout workflow starts on it.",
    example: { ...example, reason: "Project finished ahead of schedule" },
  },
);

/** Consumption moved into the ledger (amounts: what this settlement moved, per pool). */
export const ConsumptionSettled = defineEvent(
  Sources.awards,
  "Consumption Settled",
  1,
  z.object({
    ...ids,
    cashCents: money.cashCents.describe("Cash this settlement moved, in cents."),
    creditsCents: money.creditsCents.describe("Credits this settlement moved, in cents."),
    consumedCreditsCents: z.number().int().describe("The award's credits consumed so far, in cents."),
    consumedCashCents: z.number().int().describe("The award's cash consumed so far, in cents."),
    overageCents: z.number().int().describe("Usage beyond what the award holds, in cents."),
  }),
  {
    description:
      "Usage reported for an award was settled into the ledger (the amounts this settlement moved, per pool). Billing and analytics reconcile with it.",
    example: {
      ...example,
      cashCents: 0,
      creditsCents: 125_000,
      consumedCreditsCents: 4_125_000,
      consumedCashCents: 0,
      overageCents: 0,
    },
  },
);
/** The award's credits are used up: the provider inactivates its project (once per crossing). */
export const ProjectInactivated = defineEvent(
  Sources.awards,
  "Project Inactivated",
  1,
  z.object({ ...ids, reason: z.string().describe("Why the project was inactivated.") }),
  {
    description:
      "The award's project at the compute provider was inactivated (its credits are used up, or the award closed). Sent once per crossing; the compute provider stops the project's jobs.",
    example: { ...example, reason: "credits exhausted" },
  },
);
/** The award holds credits again (a top-up, a refund): the provider reactivates its project. */
export const ProjectReactivated = defineEvent(Sources.awards, "Project Reactivated", 1, z.object(ids), {
  description:
    "The award holds credits again (a top-up or a refund), so its project at the compute provider was reactivated. The compute provider resumes the project.",
  example,
});

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
