import {
  dynamoAwardRepository,
  dynamoLedgerRepository,
  dynamoProgramRepository,
  dynamoUsageRepository,
  httpComputeProvider,
  linkedSecret,
} from "@allot/adapters";
import { systemClock } from "@allot/core";
import type { AwardDeps } from "@allot/core/award";
import { providerEnv, providerSecrets } from "@allot/stacks/env";
import { doc, once, onFirstCall, proposalDeps, reviewWorkflow, tableName } from "./deps.js";

/** A provider setting: the linked SST secret on AWS, the environment variable locally. */
const required = (secret: keyof typeof providerSecrets) => {
  const value = linkedSecret(providerSecrets[secret], providerEnv[secret]);
  if (!value)
    throw new Error(
      `${providerSecrets[secret]} (${providerEnv[secret]} locally) is not set: is this function linked to the provider?`,
    );
  return value;
};

/** Award commands that do not talk to the provider (reads, offers, budget moves). */
export const awardReadDeps = once(() => ({
  awards: dynamoAwardRepository(doc(), tableName()),
  ledger: dynamoLedgerRepository(doc(), tableName()),
}));

// Functions without the provider link never reach the provider; resolving it on its first call
// keeps a wiring mistake loud (the unset variable is named) instead of silently skipping a side effect.
const linkedProvider = once(() =>
  httpComputeProvider({
    baseUrl: required("url"),
    secret: required("secret"),
    timeoutMs: 5_000,
  }),
);

export const awardDeps = once(
  (): AwardDeps => ({
    ...proposalDeps(),
    ...awardReadDeps(),
    usage: dynamoUsageRepository(doc(), tableName()),
    provider: onFirstCall(linkedProvider),
    workflow: reviewWorkflow(),
    providerCallbackUrl: `${process.env[providerEnv.publicUrl] ?? ""}/provider/notifications`,
  }),
);

/** Settlement of consumption: the award, its ledger, its counted usage; the programs for the daily run. */
export const settlementDeps = once(() => ({
  ...awardReadDeps(),
  usage: dynamoUsageRepository(doc(), tableName()),
  programs: dynamoProgramRepository(doc(), tableName()),
  clock: systemClock,
}));
