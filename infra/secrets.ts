// Per-stage SST secrets that functions read as environment values (`sst secret set <name> …
// --stage <stage>`). A deploy without one stops with "Set a value for <name>"; a malformed
// value stops it with infra/plan/secrets.ts's message.
import { httpsBaseUrl, type Plan, sharedSecret } from "./plan.js";

type Output<T> = $util.Output<T>;

/** The secrets the plan's provider links read, by secret name. */
export const createProviderSecrets = (
  provider: NonNullable<Plan["provider"]>,
): Map<string, Output<string>> => {
  const read = (name: string, check: (secret: string, value: string) => string) =>
    [name, new sst.Secret(name).value.apply((value) => check(name, value))] as const;
  return new Map([
    read(provider.urlSecret, httpsBaseUrl),
    read(provider.sharedSecret, sharedSecret),
    read(provider.publicUrlSecret, httpsBaseUrl),
  ]);
};
