import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dynamoIntegrationClientRepository } from "@allot/adapters";
import { mainTable, topology } from "@allot/stacks";
import { faultsFromEnv, startProviderStandIn, startRegistriesStandIn } from "@allot/standins";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type AwsLocal, type Logger, localClientConfig, startAwsLocal, startDynamoDbLocal } from "aws-local";
import type { LocalConfig } from "./config.js";
import { type Issuer, loadIssuer } from "./http/issuer.js";
import { startHttpApi } from "./http/server.js";
import { runtimeTable } from "./runtime-table.js";
import { addModelPartnerInstitutions, seedModelProgram } from "./seed.js";
import { awsLocalTopology } from "./topology-to-aws-local.js";

export const repositoryRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

export interface Runtime {
  endpoints: { dynamodb: string; edge: string; http: string; provider: string; registries: string };
  issuer: Issuer;
  dataDir: string;
  eventBridge: AwsLocal["eventBridge"];
  stepFunctions: AwsLocal["stepFunctions"];
  stop(): Promise<void>;
}

// The secret the provider stand-in and Allot share; kept in the data folder like the token key.
const providerSecret = (dataDir: string) => {
  const file = join(dataDir, "provider-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
};

/**
 * The local realization of stacks/: DynamoDB Local, the AWS edge (EventBridge, Step Functions,
 * Lambda), the stream subscriptions, the provider and registries stand-ins and the HTTP API, all on one
 * machine. Each handler sees only the variables its links give it, as on AWS; only the
 * endpoints differ.
 */
export const startRuntime = async (
  config: LocalConfig & { logger: Logger; inMemory?: boolean },
): Promise<Runtime> => {
  const { logger } = config;
  mkdirSync(config.dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) {
      try {
        await fn();
      } catch (error) {
        logger.warn("stop step failed", { error: String(error) });
      }
    }
  };

  try {
    // A DynamoDB Local someone else started (the test suite's) is theirs to stop.
    const dynamo = config.dynamoEndpoint
      ? { endpoint: config.dynamoEndpoint, pid: undefined, stop: async () => {} }
      : await startDynamoDbLocal({
          host: config.host,
          port: config.dynamoPort,
          dataDir: config.inMemory ? undefined : config.dataDir,
          pidDir: config.dataDir,
        });
    stops.push(() => dynamo.stop());
    logger.info("DynamoDB Local ready", { endpoint: dynamo.endpoint, pid: dynamo.pid });

    // The stand-in runs before aws-local, which resumes executions and deliveries that may call it.
    const client = new DynamoDBClient(localClientConfig(dynamo.endpoint, config.dynamoAccessKey));
    stops.push(async () => client.destroy());
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const secret = providerSecret(config.dataDir);
    const provider = await startProviderStandIn({
      host: config.host,
      port: config.providerPort,
      secret,
      doc,
      logger,
      faults: faultsFromEnv(),
    });
    stops.push(() => provider.stop());
    const registries = await startRegistriesStandIn({
      host: config.host,
      port: config.registriesPort,
      logger,
    });
    stops.push(() => registries.stop());

    const aws = await startAwsLocal({
      host: config.host,
      edgePort: config.edgePort,
      dynamodbEndpoint: dynamo.endpoint,
      dynamodbAccessKey: config.dynamoAccessKey,
      runtimeTable: runtimeTable.name,
      functionsRoot: repositoryRoot,
      ...awsLocalTopology(topology, {
        providerUrl: provider.url,
        providerSecret: secret,
        publicUrl: `http://${config.host}:${config.httpPort}`,
        registriesUrl: registries.url,
        mailDir: join(config.dataDir, "outbox"),
        staffEmail: process.env.ALLOT_STAFF_EMAIL,
        webhookRetrySchedule: process.env.ALLOT_WEBHOOK_RETRY_SCHEDULE,
      }),
      logger,
    });
    stops.push(() => aws.stop());
    const freshData = aws.tables.get(mainTable.name)?.created === true;

    // The model program gives a newcomer something to act on at once; only on a fresh data
    // folder, so that later changes by staff are never overwritten.
    if (freshData) {
      const seeded = await seedModelProgram(doc, mainTable.name);
      logger.info("loaded the model program", { ...seeded });
    } else {
      const added = await addModelPartnerInstitutions(doc, mainTable.name);
      if (added.length) logger.info("added the model program's partner institutions", { added });
    }

    const issuer = await loadIssuer(join(config.dataDir, "issuer-key.json"));
    const http = await startHttpApi({
      host: config.host,
      port: config.httpPort,
      routes: topology.routes,
      lambda: aws.lambda,
      issuer,
      clients: dynamoIntegrationClientRepository(doc, mainTable.name),
      logger: logger.child({ component: "http" }),
    });
    stops.push(() => http.close());

    return {
      endpoints: {
        dynamodb: dynamo.endpoint,
        edge: aws.endpoints.edge,
        http: http.url,
        provider: provider.url,
        registries: registries.url,
      },
      issuer,
      dataDir: config.dataDir,
      eventBridge: aws.eventBridge,
      stepFunctions: aws.stepFunctions,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
