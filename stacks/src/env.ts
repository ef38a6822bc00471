import type { Link } from "./topology.js";

// The environment variable each link becomes, in both realizations; handlers read these.
export const envForLink = (link: Link): string => {
  switch (link.kind) {
    case "table":
      return `ALLOT_TABLE_${constantCase(link.table)}`;
    case "bus":
      return `ALLOT_BUS_${constantCase(link.bus)}`;
    case "stateMachine":
      return `ALLOT_STATE_MACHINE_${constantCase(link.stateMachine)}`;
    case "mail":
      return "ALLOT_MAIL_FROM";
    case "provider":
      return providerEnv.url;
    case "registries":
      return registriesEnv.crossref;
    case "subscriptionRules":
      return subscriptionRulesEnv.rulePrefix;
    case "webhooks":
      return webhooksEnv.allowLoopback;
  }
};

/**
 * A provider link's three settings: where the provider is, the shared secret, and where it calls
 * back. Locally all three are environment variables; on AWS `url` and `secret` are the SST
 * secrets of `providerSecrets`, linked to the function and read at run time (never environment
 * variables), and `publicUrl` is the stage's own API URL (no secret: it is derived at deploy).
 */
export const providerEnv = {
  url: "ALLOT_PROVIDER_URL",
  secret: "ALLOT_PROVIDER_SECRET",
  publicUrl: "ALLOT_PUBLIC_URL",
} as const;

/** The per-stage SST secrets a provider link reads on AWS (`sst secret set <name> … --stage <stage>`). */
export const providerSecrets = {
  url: "ProviderUrl",
  secret: "ProviderSecret",
} as const;

/**
 * A registries link's variables: each service's base URL, set locally to the stand-in's and
 * unset on AWS (the real endpoints). ALLOT_GITHUB_TOKEN is no link's: the adapters fall back to
 * it where no SST secret is linked (a script run against the real GitHub).
 */
export const registriesEnv = {
  crossref: "ALLOT_CROSSREF_URL",
  datacite: "ALLOT_DATACITE_URL",
  arxiv: "ALLOT_ARXIV_URL",
  github: "ALLOT_GITHUB_API_URL",
  githubToken: "ALLOT_GITHUB_TOKEN",
} as const;

/**
 * A subscriptionRules link's variables: the bus the rules live on is the bus link's; these say
 * how rules are named (every subscription rule's name starts with the prefix, which is also what
 * IAM scopes the rule actions to), the ARN of the delivery function every rule targets, and the
 * bus archive replays read from.
 */
export const subscriptionRulesEnv = {
  rulePrefix: "ALLOT_SUBSCRIPTION_RULE_PREFIX",
  busName: "ALLOT_SUBSCRIPTION_BUS",
  deliverFunctionArn: "ALLOT_WEBHOOK_DELIVER_FUNCTION_ARN",
  archiveArn: "ALLOT_BUS_ARCHIVE_ARN",
} as const;

/**
 * A webhooks link's variables: whether loopback HTTP endpoints are allowed (locally "true"; unset
 * on AWS), and optionally the retry schedule in seconds after the first attempt ("5,300,1800,..."),
 * which tests shorten; unset means the house schedule (core).
 */
export const webhooksEnv = {
  allowLoopback: "ALLOT_WEBHOOK_ALLOW_LOOPBACK",
  retrySchedule: "ALLOT_WEBHOOK_RETRY_SCHEDULE",
} as const;

/** Every subscription rule's name starts with this (AWS rule names: 64 characters, `[.\-_A-Za-z0-9]`). */
export const SUBSCRIPTION_RULE_PREFIX = "allot-webhook-";
/** The function every subscription rule targets. */
export const WEBHOOK_DELIVER_FUNCTION = "deliver-webhook";

/** The per-stage SST secret with the optional GitHub token, linked to the functions with a registries link. */
export const GITHUB_TOKEN_SECRET = "GitHubToken";

const constantCase = (name: string) => name.replace(/[^a-zA-Z0-9]+/g, "_").toUpperCase();
