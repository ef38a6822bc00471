import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ensureTable, type Logger } from "aws-local";
import { type CallbackOptions, defaultCallbackOptions, startCallbackDispatcher } from "./callbacks.js";
import { type FaultSettings, Faults } from "./faults.js";
import { startStandInServer } from "./server.js";
import { StandInService } from "./service.js";
import { ProjectStore } from "./store.js";
import { providerStandInTable } from "./table.js";

export { type CallbackOptions, defaultCallbackOptions } from "./callbacks.js";
export { type ProviderStandInConfig, providerStandInConfigFromEnv } from "./config.js";
export { type FaultSettings, Faults, faultSettingsSchema, faultsFromEnv } from "./faults.js";
export { providerStandInTable } from "./table.js";

export interface ProviderStandInOptions {
  host: string;
  /** 0 for any free port; the chosen one is in `url`. */
  port: number;
  /** Shared with Allot: verifies its requests, signs the answers. */
  secret: string;
  doc: DynamoDBDocumentClient;
  /** Default "allot-provider-standin"; created if missing. */
  tableName?: string;
  logger: Logger;
  faults?: FaultSettings;
  callbacks?: Partial<CallbackOptions>;
}

export interface ProviderStandIn {
  url: string;
  /** The same settings as /admin/faults, for in-process callers. */
  faults: Faults;
  stop(): Promise<void>;
}

/**
 * The compute provider's stand-in: a separate service speaking the adapter's real protocol
 * over HTTP, with its state in its own DynamoDB table, so that a restarted instance carries on
 * where a killed one stopped.
 */
export const startProviderStandIn = async (options: ProviderStandInOptions): Promise<ProviderStandIn> => {
  const tableName = options.tableName ?? providerStandInTable.name;
  // The document client shares its client's middleware stack, so it sends plain DynamoDB
  // commands as they are; only the declared types differ.
  await ensureTable(options.doc as unknown as DynamoDBClient, { ...providerStandInTable, name: tableName });
  const logger = options.logger.child({ component: "provider-stand-in" });
  const callbackOptions = { ...defaultCallbackOptions, ...options.callbacks };
  // An attempt must end well before its lease does, or a second instance could send the same
  // answer at the same time.
  callbackOptions.leaseMs = Math.max(callbackOptions.leaseMs, callbackOptions.timeoutMs + 1_000);
  const faults = new Faults(options.faults);
  const store = new ProjectStore(options.doc, tableName);
  const dispatcher = startCallbackDispatcher({
    store,
    secret: options.secret,
    logger,
    options: callbackOptions,
  });
  const service = new StandInService(store, {
    logger,
    callbackLatencyMs: () => faults.callbackLatencyMs,
    answerOwed: () => dispatcher.kick(),
  });
  let server: Awaited<ReturnType<typeof startStandInServer>>;
  try {
    server = await startStandInServer({
      host: options.host,
      port: options.port,
      secret: options.secret,
      service,
      faults,
      logger,
    });
  } catch (error) {
    await dispatcher.stop();
    throw error;
  }
  logger.info("provider stand-in listening", { url: server.url, table: tableName });
  return {
    url: server.url,
    faults,
    async stop() {
      await server.close();
      await dispatcher.stop();
    },
  };
};
