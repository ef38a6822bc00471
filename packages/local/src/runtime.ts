import "./polyfills.js";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Link, mainTable, renderDefinition, topology } from "@allot/stacks";
import { envForLink, providerEnv } from "@allot/stacks/env";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { LOCAL_ACCOUNT, LOCAL_REGION, localAccessKey, localClientConfig } from "./aws-config.js";
import type { LocalConfig } from "./config.js";
import { startDynamoDbLocal } from "./dynamodb/launcher.js";
import { ensureTable } from "./dynamodb/tables.js";
import { startEdgeServer } from "./edge/server.js";
import { eventBridgeAdminService } from "./eventbridge/admin.js";
import { createEventBridge } from "./eventbridge/index.js";
import { type Issuer, loadIssuer } from "./http/issuer.js";
import { startHttpApi } from "./http/server.js";
import { createLambdaRegistry } from "./lambda/registry.js";
import { lambdaRestHandler } from "./lambda/service.js";
import type { Logger } from "./logger.js";
import { faultsFromEnv, startProviderStandIn } from "./provider/index.js";
import { runtimeTable } from "./runtime-table.js";
import { addModelPartnerInstitutions, seedModelProgram } from "./seed.js";
import { createStepFunctions } from "./stepfunctions/index.js";
import { startStreamPoller } from "./streams/poller.js";

export const repositoryRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

export interface Runtime {
  endpoints: { dynamodb: string; edge: string; http: string; provider: string };
  issuer: Issuer;
  dataDir: string;
  eventBridge: ReturnType<typeof createEventBridge>;
  stepFunctions: ReturnType<typeof createStepFunctions>;
  stop(): Promise<void>;
}

interface LocalServices {
  providerUrl: string;
  providerSecret: string;
  publicUrl: string;
}

/** The variables each link sets, with the local services' addresses. */
const localLinkEnv = (link: Link, services: LocalServices): Record<string, string> => {
  switch (link.kind) {
    case "table":
      return { [envForLink(link)]: link.table };
    case "bus":
      return { [envForLink(link)]: link.bus };
    case "stateMachine":
      return { [envForLink(link)]: localStateMachineArn(link.stateMachine) };
    case "mail":
      return { [envForLink(link)]: "Allot <no-reply@allot.local>" };
    case "provider":
      return {
        [providerEnv.url]: services.providerUrl,
        [providerEnv.secret]: services.providerSecret,
        [providerEnv.publicUrl]: services.publicUrl,
      };
  }
};

// The secret the provider stand-in and Allot share; kept in the data folder like the token key.
const providerSecret = (dataDir: string) => {
  const file = join(dataDir, "provider-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
};

export const localFunctionArn = (name: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
export const localStateMachineArn = (name: string) =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

/**
 * The local realization of stacks/: DynamoDB Local, the AWS edge (EventBridge, Step Functions,
 * Lambda), the stream subscriptions and the HTTP API, all on one machine. Handlers get the
 * same environment they get on AWS; only the endpoints differ.
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

    const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    stops.push(async () => client.destroy());
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    await ensureTable(client, runtimeTable);
    const streamArns = new Map<string, string | undefined>();
    let freshData = false;
    for (const table of topology.tables) {
      const { streamArn, created } = await ensureTable(client, table);
      streamArns.set(table.name, streamArn);
      freshData ||= created && table.name === mainTable.name;
    }

    const lambda = createLambdaRegistry({
      functions: topology.functions,
      rootDir: repositoryRoot,
      logger: logger.child({ component: "lambda" }),
    });
    const eventBridge = createEventBridge({
      doc,
      tableName: runtimeTable.name,
      buses: topology.buses,
      rules: topology.rules,
      lambda,
      logger: logger.child({ component: "eventbridge" }),
    });
    const stepFunctions = createStepFunctions({
      doc,
      tableName: runtimeTable.name,
      lambda,
      putEvents: (entries) => eventBridge.putEvents(entries),
      logger: logger.child({ component: "stepfunctions" }),
    });
    const edge = await startEdgeServer({
      host: config.host,
      port: config.edgePort,
      services: [eventBridge.service, eventBridgeAdminService(eventBridge), stepFunctions.service],
      rest: [
        lambdaRestHandler(lambda, (error) => logger.error("async invoke failed", { error: String(error) })),
      ],
      logger: logger.child({ component: "edge" }),
    });
    stops.push(() => edge.close());

    // The handlers' view of the world: the same variables SST sets on AWS, pointed here.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: localAccessKey(),
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: edge.url,
      AWS_ENDPOINT_URL_SFN: edge.url,
      AWS_ENDPOINT_URL_LAMBDA: edge.url,
      // Mail goes to files, one RFC 5322 message each, instead of SES.
      ALLOT_MAIL_DIR: join(config.dataDir, "outbox"),
    });
    // The compute provider's stand-in: its own port and its own table, as a separate service.
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
    const services = {
      providerUrl: provider.url,
      providerSecret: secret,
      publicUrl: `http://${config.host}:${config.httpPort}`,
    };
    for (const fn of topology.functions) {
      for (const link of fn.links) Object.assign(process.env, localLinkEnv(link, services));
    }

    for (const machine of topology.stateMachines) {
      await stepFunctions.createStateMachine(machine.name, renderDefinition(machine, localFunctionArn));
    }
    await stepFunctions.resume();
    stops.push(() => stepFunctions.stop());
    await eventBridge.start();
    stops.push(() => eventBridge.stop());

    const streamsClient = new DynamoDBStreamsClient(localClientConfig(dynamo.endpoint));
    stops.push(async () => streamsClient.destroy());
    for (const subscription of topology.streamSubscriptions) {
      const streamArn = streamArns.get(subscription.table);
      if (!streamArn) throw new Error(`Table ${subscription.table} has no stream for ${subscription.name}`);
      const poller = startStreamPoller({
        subscription,
        streamArn,
        streamsClient,
        doc,
        runtimeTable: runtimeTable.name,
        lambda,
        logger: logger.child({ component: "streams" }),
      });
      stops.push(() => poller.stop());
    }

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
      lambda,
      issuer,
      logger: logger.child({ component: "http" }),
    });
    stops.push(() => http.close());

    return {
      endpoints: {
        dynamodb: dynamo.endpoint,
        edge: edge.url,
        http: http.url,
        provider: services.providerUrl,
      },
      issuer,
      dataDir: config.dataDir,
      eventBridge,
      stepFunctions,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
