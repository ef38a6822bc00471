import { verificationPortsFromEnv } from "@allot/adapters";
import type { VerificationDeps } from "@allot/core/output";
import { once } from "./deps.js";
import { outputDeps } from "./deps-outputs.js";

// Apart from deps-outputs.ts so that only the verification task bundles the registry clients:
// it alone is linked to the registries.
export const verificationDeps = once(
  (): VerificationDeps => ({ ...outputDeps(), ...verificationPortsFromEnv() }),
);
