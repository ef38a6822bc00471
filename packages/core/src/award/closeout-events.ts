import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";
import { WorkflowErrors } from "../workflow-errors.js";

// One event per closeout step, each carrying ids and amounts only (no personal data).
const ids = {
  awardId: z.string().describe("The award's id (awd_…)."),
  proposalId: z.string().describe("The proposal the award came from (prp_…)."),
  programId: z.string().describe("The program whose budget funds the award."),
};
const closedStatus = z
  .enum(["closed", "closed_noncompliant"])
  .describe("Closed with every obligation met, or closed with one still unmet.");
const example = {
  awardId: "awd_dkg9g94c2p91rs3akng9hvcqec",
  proposalId: "prp_zbtnnzb4jss7sexq8gajt736f1",
  programId: "model-program",
};

/** The award is closing: no new reservations, late usage still counted until `graceEndsAt`. */
export const AwardClosing = defineEvent(
  Sources.awards,
  "Award Closing",
  1,
  z.object({
    ...ids,
    graceEndsAt: z.string().describe("Until when late usage is still counted (ISO 8601, UTC)."),
    early: z.boolean().describe("Whether the award closes before its term ends (an early-closeout request)."),
  }),
  {
    description:
      "The award's closeout started (its term ended, or an early closeout was approved): no new reservations, late usage counted until the grace period ends. The compute provider and billing prepare the final usage.",
    example: { ...example, graceEndsAt: "2028-01-31T00:00:00.000Z", early: false },
  },
);
/** Usage settled into the ledger and the unused credits returned to the pool. */
export const CloseoutSettled = defineEvent(
  Sources.awards,
  "Closeout Settled",
  1,
  z.object({
    ...ids,
    consumedCents: z.number().int().describe("The credits the award consumed in all, in cents."),
    returnedCents: z.number().int().describe("The unused credits returned to the program's pool, in cents."),
  }),
  {
    description:
      "At closeout the award's usage was settled and its unused credits returned to the program's pool. Billing and finance systems book it.",
    example: { ...example, consumedCents: 18_400_000, returnedCents: 1_600_000 },
  },
);
export const FinalReportRequested = defineEvent(
  Sources.awards,
  "Final Report Requested",
  1,
  z.object({ ...ids, dueAt: z.string().describe("When the final report is due (ISO 8601, UTC).") }),
  {
    description:
      "The grantee was asked for the award's final report during closeout. The grantee is notified.",
    example: { ...example, dueAt: "2028-03-01T00:00:00.000Z" },
  },
);
export const FinalReportSubmitted = defineEvent(Sources.awards, "Final Report Submitted", 1, z.object(ids), {
  description:
    "The grantee submitted the award's final report; the closeout can settle the cash. Research offices and staff follow it.",
  example,
});
/** The award's cash settled: what the report says was spent, the rest back in the pool. */
export const CloseoutCashSettled = defineEvent(
  Sources.awards,
  "Closeout Cash Settled",
  1,
  z.object({
    ...ids,
    spentCents: z.number().int().describe("The cash the final report says was spent, in cents."),
    returnedCents: z.number().int().describe("The cash returned to the program's pool, in cents."),
    reportMissing: z
      .boolean()
      .describe("Whether the cash settled without a final report (its due date passed)."),
  }),
  {
    description:
      "At closeout the award's cash was settled: what the final report says was spent, the rest back in the pool. Billing and finance systems book it.",
    example: { ...example, spentCents: 8_750_000, returnedCents: 250_000, reportMissing: false },
  },
);
export const AwardClosed = defineEvent(
  Sources.awards,
  "Award Closed",
  1,
  z.object({ ...ids, status: closedStatus }),
  {
    description:
      "The award's closeout finished, compliant or not. Sent once per award; research offices, billing and analytics close their records.",
    example: { ...example, status: "closed" },
  },
);
/** A run of the closeout workflow failed for good; the award stays closing until staff resume it. */
export const CloseoutFailed = defineEvent(
  Sources.awards,
  "Closeout Failed",
  1,
  z.object({
    ...ids,
    attempt: z
      .number()
      .int()
      .min(1)
      .describe("The run of the closeout workflow that failed (1, then one per resume)."),
    error: z.string().describe("The error the failed step ended with, for operators (a name, no details)."),
  }),
  {
    description:
      "A run of the award's closeout workflow failed for good (the provider refused to inactivate the project, or stayed down past the retries). The award stays closing, nothing more is returned, until staff resume the closeout. Operations dashboards alert on it.",
    example: { ...example, attempt: 1, error: WorkflowErrors.provisioningRejected },
  },
);
/** A closed-out award's obligation was met late, or fell overdue: its closed status follows. */
export const AwardComplianceRevised = defineEvent(
  Sources.awards,
  "Award Compliance Revised",
  1,
  z.object({ ...ids, status: closedStatus }),
  {
    description:
      "A closed award's obligation was met late, or fell overdue, so its closed status changed. Research offices and analytics update their records.",
    example: { ...example, status: "closed_noncompliant" },
  },
);

export const closeoutEvents = [
  AwardClosing,
  CloseoutSettled,
  FinalReportRequested,
  FinalReportSubmitted,
  CloseoutCashSettled,
  AwardClosed,
  AwardComplianceRevised,
  CloseoutFailed,
];
