// Per-stage SST secrets that functions link and read at run time (`sst secret set <name> …
// --stage <stage>`): encrypted into the bundles of the functions that link them, never in an
// environment variable. A deploy without one stops with "Set a value for <name>"; a malformed
// value stops it with infra/plan/secrets.ts's message.
import { httpsBaseUrl, type Plan, sharedSecret } from "./plan.js";

/** The secrets the plan's functions link, by secret name, their values checked at deploy. */
export const createLinkedSecrets = (plan: Plan): Map<string, sst.Secret> => {
  const secrets = new Map<string, sst.Secret>();
  const checks: Record<string, (secret: string, value: string) => string> = {};
  if (plan.provider) {
    checks[plan.provider.urlSecret] = httpsBaseUrl;
    checks[plan.provider.sharedSecret] = sharedSecret;
  }
  for (const name of new Set(plan.functions.flatMap((fn) => fn.secrets))) {
    // Optional: the GitHub token's empty placeholder means "no token" (the anonymous limit).
    const secret =
      plan.registries?.githubTokenSecret === name ? new sst.Secret(name, "") : new sst.Secret(name);
    const check = checks[name];
    // The check runs when the value is known during the deploy and fails it with its message.
    if (check) secret.value.apply((value) => check(name, value));
    secrets.set(name, secret);
  }
  return secrets;
};
