import { z } from "zod";

// Failure injection, for tests and demonstrations: the stand-in fails the way a real provider
// does (503 while it is down, 422 when it refuses), so the workflow's retries and compensation
// run against real HTTP. It lives in memory on purpose: a restarted provider is a healthy one,
// unless its environment says otherwise.

const operationFault = z.strictObject({
  /** Fail the next N calls with 503. */
  transient: z.number().int().min(0).optional(),
  /** Refuse every call with 422 (after any transient failures), until cleared. */
  permanent: z.boolean().optional(),
});

export const faultOperations = [
  "requestProject",
  "completeTransaction",
  "deprovision",
  "setAccess",
  "inactivate",
  "reactivate",
  "modifyProject",
] as const;
export type FaultOperation = (typeof faultOperations)[number];

export const faultSettingsSchema = z.strictObject({
  requestProject: operationFault.optional(),
  completeTransaction: operationFault.optional(),
  deprovision: operationFault.optional(),
  setAccess: operationFault.optional(),
  /** request_project_inactivate with `reversible` (used-up credits). */
  inactivate: operationFault.optional(),
  /** request_project_reactivate with `lift: "inactivation"`. */
  reactivate: operationFault.optional(),
  modifyProject: operationFault.optional(),
  /** Delay before the stand-in handles each AMIE request (after it has received it). */
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  /** Delay between accepting a request and first sending its answer. */
  callbackLatencyMs: z.number().int().min(0).max(86_400_000).optional(),
});
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export class Faults {
  private settings: FaultSettings;

  constructor(initial: FaultSettings = {}) {
    this.settings = structuredClone(faultSettingsSchema.parse(initial));
  }

  /** Replaces the settings it names and keeps the others. */
  set(update: FaultSettings): FaultSettings {
    this.settings = { ...this.settings, ...structuredClone(update) };
    return this.snapshot();
  }

  clear(): FaultSettings {
    this.settings = {};
    return this.snapshot();
  }

  snapshot(): FaultSettings {
    return structuredClone(this.settings);
  }

  get latencyMs(): number {
    return this.settings.latencyMs ?? 0;
  }

  get callbackLatencyMs(): number {
    return this.settings.callbackLatencyMs ?? 0;
  }

  /** The failure this call is to suffer, if any; a transient one is used up by the call. */
  take(operation: FaultOperation): "transient" | "permanent" | undefined {
    const fault = this.settings[operation];
    if (!fault) return undefined;
    if (fault.transient && fault.transient > 0) {
      fault.transient -= 1;
      return "transient";
    }
    return fault.permanent ? "permanent" : undefined;
  }
}

const integer = (env: NodeJS.ProcessEnv, name: string): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number of ms, got "${raw}"`);
  return value;
};

/**
 * ALLOT_PROVIDER_FAULTS (the JSON body of POST /admin/faults), with ALLOT_PROVIDER_LATENCY_MS
 * and ALLOT_PROVIDER_CALLBACK_LATENCY_MS as shortcuts that win over it.
 */
export const faultsFromEnv = (env: NodeJS.ProcessEnv = process.env): FaultSettings => {
  let settings: FaultSettings = {};
  const raw = env.ALLOT_PROVIDER_FAULTS;
  if (raw) {
    const parsed = faultSettingsSchema.safeParse(JSON.parse(raw));
    if (!parsed.success)
      throw new Error(`ALLOT_PROVIDER_FAULTS is not valid: ${z.prettifyError(parsed.error)}`);
    settings = parsed.data;
  }
  const latencyMs = integer(env, "ALLOT_PROVIDER_LATENCY_MS");
  const callbackLatencyMs = integer(env, "ALLOT_PROVIDER_CALLBACK_LATENCY_MS");
  return {
    ...settings,
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(callbackLatencyMs !== undefined ? { callbackLatencyMs } : {}),
  };
};
