import { functionsOf } from "../asl/walk.js";
import type { StateMachineSpec } from "../topology.js";
import { awardProvisioning } from "./award-provisioning.js";
import { obligationTimer } from "./obligation-timer.js";
import { outputVerification } from "./output-verification.js";
import { proposalReview } from "./proposal-review.js";
import { reservationGrace } from "./reservation-grace.js";

const machine = (name: string, description: string, definition: StateMachineSpec["definition"]) => ({
  name,
  description,
  definition,
  functions: functionsOf(definition),
});

export const stateMachines: StateMachineSpec[] = [
  machine(
    "proposal-review",
    "Screening, reviewer assignment, reviews, scoring and the committee decision of one proposal",
    proposalReview,
  ),
  machine(
    "award-provisioning",
    "An award's offer, acceptance or lapse, and provisioning on the compute provider with compensation",
    awardProvisioning,
  ),
  machine(
    "reservation-grace",
    "Gives back a granted reservation left unused for its program's grace period",
    reservationGrace,
  ),
  machine(
    "output-verification",
    "Verifies one output, waiting and asking again while the registry or code host cannot answer",
    outputVerification,
  ),
  machine(
    "obligation-timer",
    "Reminds before an obligation's due date and records it overdue when it passes unmet",
    obligationTimer,
  ),
];

const placeholder = /\$\{function:([a-z0-9-]+)\}/g;

/** The ASL as JSON with every `${function:NAME}` replaced by that function's ARN in a realization. */
export const renderDefinition = (spec: StateMachineSpec, functionArn: (name: string) => string): string =>
  JSON.stringify(spec.definition).replace(placeholder, (_, name: string) => functionArn(name));

/** Function names a definition refers to, for the test that checks them against stacks/. */
export const referencedFunctions = (spec: StateMachineSpec): string[] =>
  [...JSON.stringify(spec.definition).matchAll(placeholder)].map((m) => m[1] as string);
