import { resolve } from "node:path";

export interface LocalConfig {
  host: string;
  dynamoPort: number;
  edgePort: number;
  httpPort: number;
  providerPort: number;
  /** The registries stand-in (Crossref, DataCite, arXiv, GitHub). */
  registriesPort: number;
  dataDir: string;
  /** A DynamoDB Local already running (the test suite's); without it the runtime starts its own. */
  dynamoEndpoint?: string;
  /** DynamoDB Local without sharedDb keeps one database per access key (the test suite gives each file its own). */
  dynamoAccessKey: string;
}

const port = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
};

/** Ports and the data folder, each overridable by environment. */
export const configFromEnv = (): LocalConfig => ({
  host: process.env.ALLOT_HOST ?? "127.0.0.1",
  dynamoPort: port("ALLOT_DYNAMODB_PORT", 8000),
  edgePort: port("ALLOT_EDGE_PORT", 4566),
  httpPort: port("ALLOT_HTTP_PORT", 3000),
  providerPort: port("ALLOT_PROVIDER_PORT", 4600),
  registriesPort: port("ALLOT_REGISTRIES_PORT", 4601),
  dataDir: resolve(process.env.ALLOT_DATA_DIR ?? ".allot"),
  dynamoEndpoint: process.env.ALLOT_DYNAMODB_ENDPOINT || undefined,
  dynamoAccessKey: process.env.ALLOT_DYNAMODB_ACCESS_KEY || "local",
});
