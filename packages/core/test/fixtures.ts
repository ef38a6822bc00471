import type { Call } from "../src/call/schema.js";
import { CallInput } from "../src/call/schema.js";
import type { ProgramRecord } from "../src/program/ports.js";
import { Program } from "../src/program/schema.js";
import type { ProposalSubmission } from "../src/proposal/index.js";

export const program: ProgramRecord = {
  ...Program.parse({
    programId: "p1",
    name: "Program one",
    pools: { cashCents: 100_000_000, creditsCents: 100_000_000 },
    caps: {
      maxGrantCashCents: 50_000_000,
      maxGrantCreditsCents: 40_000_000,
      maxPartnerCreditsCents: 1_100_000_000,
    },
    cluster: { chips: 40_000 },
    creditRate: { centsPerChipHour: 200 },
  }),
  createdAt: "2026-11-01T00:00:00Z",
  createdBy: "sam",
};

export const call: Call = {
  ...CallInput.parse({
    callId: "c1",
    title: "Spring call",
    opensAt: "2026-11-01T00:00:00Z",
    closesAt: "2027-06-30T00:00:00Z",
    eligibility: { researchAreas: ["ml-systems", "nlp"], excludedInstitutions: ["Banned U"] },
    review: {
      rubric: {
        criteria: [
          { id: "impact", name: "Impact", weight: 2 },
          { id: "feasibility", name: "Feasibility", weight: 1 },
        ],
        scale: { min: 1, max: 5 },
      },
      minReviewers: 2,
      reviewPeriod: "P21D",
    },
  }),
  programId: "p1",
  createdAt: "2026-11-01T00:00:00Z",
  createdBy: "sam",
};

export const submission: ProposalSubmission = {
  callId: "c1",
  title: "Sparse attention at scale",
  abstract: "We study sparse attention kernels for long-context models on accelerator clusters.",
  pi: { name: "Alice A", email: "alice@uni.example", institution: "Uni A" },
  coInvestigators: [],
  keywords: ["ml-systems"],
  requestedCashCents: 10_000_000,
  requestedCreditsCents: 20_000_000,
  durationMonths: 12,
  openSourcePlan: "Code on GitHub under the Apache-2.0 license",
};
