import type { StateMachineSpec } from "../topology.js";
import proposalReview from "./proposal-review.asl.json" with { type: "json" };
import reservationGrace from "./reservation-grace.asl.json" with { type: "json" };

export const stateMachines: StateMachineSpec[] = [
  {
    name: "proposal-review",
    description:
      "Screening, reviewer assignment, reviews, scoring and the committee decision of one proposal",
    definition: proposalReview,
    functions: [
      "screen-proposal",
      "assign-reviewers",
      "await-reviewers",
      "await-review",
      "remind-reviewer",
      "replace-reviewer",
      "score-proposal",
      "await-decision",
      "commit-award",
      "await-acceptance",
      "lapse-offer",
      "request-provisioning",
      "await-provisioned",
      "complete-provisioning",
      "deprovision-award",
      "fail-provisioning",
    ],
  },
  {
    name: "reservation-grace",
    description: "Gives back a granted reservation left unused for its program's grace period",
    definition: reservationGrace,
    functions: ["release-unused-reservation"],
  },
];

const placeholder = /\$\{function:([a-z0-9-]+)\}/g;

/** The ASL as JSON with every `${function:NAME}` replaced by that function's ARN in a realization. */
export const renderDefinition = (spec: StateMachineSpec, functionArn: (name: string) => string): string =>
  JSON.stringify(spec.definition).replace(placeholder, (_, name: string) => functionArn(name));

/** Function names a definition refers to, for the test that checks them against stacks/. */
export const referencedFunctions = (spec: StateMachineSpec): string[] =>
  [...JSON.stringify(spec.definition).matchAll(placeholder)].map((m) => m[1] as string);
