import { dynamoAwardRepository, dynamoLedgerRepository, httpComputeProvider } from "@allot/adapters";
import type { AwardDeps } from "@allot/core/award";
import { providerEnv } from "@allot/stacks/env";
import { doc, once, proposalDeps, reviewWorkflow, tableName } from "./deps.js";

const required = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is this function linked to the provider?`);
  return value;
};

/** Award commands that do not talk to the provider (reads, offers, budget moves). */
export const awardReadDeps = once(() => ({
  awards: dynamoAwardRepository(doc(), tableName()),
  ledger: dynamoLedgerRepository(doc(), tableName()),
}));

export const awardDeps = once((): AwardDeps => {
  // Functions without the provider link never reach the provider; a stub that says so keeps
  // a wiring mistake loud instead of silently skipping a side effect.
  const hasProvider = Boolean(process.env[providerEnv.url]);
  const provider = hasProvider
    ? httpComputeProvider({
        baseUrl: required(providerEnv.url),
        secret: required(providerEnv.secret),
        timeoutMs: 5_000,
      })
    : new Proxy({} as AwardDeps["provider"], {
        get: () => () => {
          throw new Error("This function is not linked to the compute provider");
        },
      });
  return {
    ...proposalDeps(),
    ...awardReadDeps(),
    provider,
    workflow: reviewWorkflow(),
    providerCallbackUrl: `${process.env[providerEnv.publicUrl] ?? ""}/provider/notifications`,
  };
});
