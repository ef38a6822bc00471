import type { CallbackOptions } from "./callbacks.js";
import { type FaultSettings, faultsFromEnv } from "./faults.js";
import { providerStandInTable } from "./table.js";

export interface ProviderStandInConfig {
  host: string;
  port: number;
  secret: string;
  dynamoEndpoint: string;
  /** On a DynamoDB Local without sharedDb the access key names the database (the tests give each file its own). */
  dynamoAccessKey: string;
  tableName: string;
  faults: FaultSettings;
  callbacks: Partial<CallbackOptions>;
}

const whole = (env: NodeJS.ProcessEnv, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
};

/** The stand-in's settings from the environment; the secret has no default on purpose. */
export const providerStandInConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): ProviderStandInConfig => {
  const secret = env.ALLOT_PROVIDER_SECRET;
  if (!secret) throw new Error("ALLOT_PROVIDER_SECRET is not set: it must be the secret Allot signs with");
  const callbacks: Partial<CallbackOptions> = {};
  const tuning: Array<[keyof CallbackOptions, string]> = [
    ["timeoutMs", "ALLOT_PROVIDER_CALLBACK_TIMEOUT_MS"],
    ["leaseMs", "ALLOT_PROVIDER_CALLBACK_LEASE_MS"],
    ["retryBaseMs", "ALLOT_PROVIDER_CALLBACK_RETRY_BASE_MS"],
    ["retryMaxMs", "ALLOT_PROVIDER_CALLBACK_RETRY_MAX_MS"],
    ["giveUpAfterMs", "ALLOT_PROVIDER_CALLBACK_GIVE_UP_MS"],
    ["idleMs", "ALLOT_PROVIDER_CALLBACK_IDLE_MS"],
  ];
  for (const [key, name] of tuning) {
    const value = whole(env, name);
    if (value !== undefined) callbacks[key] = value;
  }
  return {
    host: env.ALLOT_PROVIDER_HOST ?? env.ALLOT_HOST ?? "127.0.0.1",
    port: whole(env, "ALLOT_PROVIDER_PORT", 65535) ?? 4600,
    secret,
    dynamoEndpoint:
      env.ALLOT_PROVIDER_DYNAMODB_ENDPOINT ??
      env.AWS_ENDPOINT_URL_DYNAMODB ??
      `http://127.0.0.1:${whole(env, "ALLOT_DYNAMODB_PORT", 65535) ?? 8000}`,
    dynamoAccessKey: env.ALLOT_DYNAMODB_ACCESS_KEY || "local",
    tableName: env.ALLOT_PROVIDER_TABLE ?? providerStandInTable.name,
    faults: faultsFromEnv(env),
    callbacks,
  };
};
