import { z } from "zod";

const Count = z.number().int();
const Cents = z.number().int();

export const CallFunnelReport = z
  .object({
    callId: z.string(),
    drafts: Count.meta({ description: "Started and never submitted" }),
    submitted: Count.meta({ description: "Submitted at some time (withdrawn ones included)" }),
    screenedOut: Count.meta({ description: "Found ineligible by screening" }),
    reviewed: Count.meta({ description: "At least one reviewer's scores counted" }),
    approved: Count.meta({ description: "The committee's recorded decision is to approve" }),
    awarded: Count.meta({
      description: "Approved and accepted by the grantee (provisioning or any later state)",
    }),
    declined: Count.meta({ description: "The committee's recorded decision is to decline" }),
    waitlisted: Count,
    withdrawn: Count.meta({ description: "Withdrawn by the applicant after submission" }),
    offersDeclined: Count.meta({ description: "Approved; the grantee declined the offer" }),
    offersLapsed: Count.meta({ description: "Approved; the offer's deadline passed" }),
    offersOpen: Count.meta({ description: "Approved; the offer waits for the grantee" }),
    undecided: Count.meta({ description: "Submitted, not screened out or withdrawn, no decision yet" }),
  })
  .meta({ id: "CallFunnelReport" });

const Movements = {
  committedCents: Cents.meta({ description: "Commitments and top-ups (kinds commit, topup)" }),
  consumedCents: Cents.meta({
    description: "Consumption (kind consume, net of refunds), as a positive amount",
  }),
  releasedCents: Cents.meta({
    description: "Releases back to the pool (kind release), as a positive amount",
  }),
  adjustedCents: Cents.meta({ description: "Net of adjustments" }),
  netCents: Cents.meta({
    description:
      "The change of the pool's committed balance: committed − released + adjusted (consumption stays committed)",
  }),
};

export const BudgetOverTimeReport = z
  .object({
    programId: z.string(),
    interval: z.enum(["day", "month"]),
    from: z.string(),
    to: z.string(),
    totals: z.array(
      z.object({
        pool: z.enum(["cash", "credits"]),
        ...Movements,
        poolCommittedCents: Cents.meta({ description: "The pool's committed balance at the end of `to`" }),
        heldCents: Cents.meta({ description: "What awards hold unconsumed at the end of `to`" }),
        entries: Count,
      }),
    ),
    periods: z.array(
      z.object({
        period: z.string(),
        pool: z.enum(["cash", "credits"]),
        ...Movements,
        cumulativeCommittedCents: Cents,
        cumulativeConsumedCents: Cents,
        cumulativeReleasedCents: Cents,
        cumulativeAdjustedCents: Cents,
        poolCommittedCents: Cents.meta({ description: "The pool's committed balance at the period's end" }),
        heldCents: Cents.meta({ description: "What awards hold unconsumed at the period's end" }),
      }),
    ),
  })
  .meta({ id: "BudgetOverTimeReport" });

const UtilizationFigures = {
  capacityChipHours: Count.meta({ description: "The cluster's chips × 24" }),
  reservedChipHours: Count.meta({
    description: "Chips granted reservations held, summed over the hours that began while held",
  }),
  usedChipSeconds: Count.meta({ description: "Chip-seconds of counted compute usage records (exact)" }),
  usedChipHours: z.number().meta({ description: "usedChipSeconds / 3600, two decimals" }),
  reservedPercent: z.number(),
  usedPercent: z.number(),
};

export const UtilizationReport = z
  .object({
    programId: z.string(),
    from: z.string(),
    to: z.string(),
    clusterChips: Count,
    days: z.array(z.object({ day: z.string(), ...UtilizationFigures })),
    totals: z.object(UtilizationFigures),
  })
  .meta({ id: "UtilizationReport" });

const ByStatus = { registered: Count, pending: Count, verified: Count, rejected: Count };

export const OutputsReport = z
  .object({
    programId: z.string(),
    asOf: z.string(),
    papers: z.object({ ...ByStatus, doi: Count, arxiv: Count }),
    repositories: z.object(ByStatus),
    licenses: z.array(z.object({ license: z.string(), repositories: Count, permissive: z.boolean() })).meta({
      description: "Per SPDX expression the code host last reported (none: no license file), most used first",
    }),
    awards: z.object({
      bound: Count.meta({
        description: "Awards that carry obligations (active, suspended, closing, closed)",
      }),
      withVerifiedPaper: Count,
      withVerifiedRepository: Count,
      compliant: Count,
      complianceRate: z
        .number()
        .meta({ description: "compliant / bound, four decimals; 1 without bound awards" }),
      paperOverdue: Count,
      repositoryOverdue: Count,
    }),
  })
  .meta({ id: "OutputsReport" });
