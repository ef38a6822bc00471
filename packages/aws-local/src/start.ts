import "./polyfills.js";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { LOCAL_ACCOUNT, LOCAL_REGION, localClientConfig } from "./aws-config.js";
import type {
  BusSpec,
  FunctionSpec,
  RuleSpec,
  ScheduledRuleSpec,
  StateMachineSpec,
  StreamSubscriptionSpec,
  TableSpec,
} from "./config.js";
import { ensureTable } from "./dynamodb/tables.js";
import { type JsonService, startEdgeServer } from "./edge/server.js";
import { eventBridgeAdminService } from "./eventbridge/admin.js";
import { createEventBridge, type EventBridgeEmulator } from "./eventbridge/index.js";
import type { LambdaInvoker } from "./lambda/invoker.js";
import { createLambdaRegistry } from "./lambda/registry.js";
import { lambdaRestHandler } from "./lambda/service.js";
import type { Logger } from "./logger.js";
import { runtimeTableSpec } from "./runtime-table.js";
import { createStepFunctions, type StepFunctionsEmulator } from "./stepfunctions/index.js";
import { startStreamPoller } from "./streams/poller.js";

export interface AwsLocalConfig {
  host: string;
  /** The edge's port (EventBridge, Step Functions, Lambda); 0 for any free one. */
  edgePort: number;
  /** A running DynamoDB (Local): the tables below and the runtime table are created there if missing. */
  dynamodbEndpoint: string;
  /** The access key every client and function uses there: on a DynamoDB Local without sharedDb it names the database. */
  dynamodbAccessKey?: string;
  /** The emulators' own table (events, deliveries, executions, checkpoints); the caller names it. */
  runtimeTable: string;
  tables: TableSpec[];
  buses: BusSpec[];
  rules: RuleSpec[];
  /** Scheduled rules (default bus), fired on their expression by a durable timer. */
  scheduledRules?: ScheduledRuleSpec[];
  functions: FunctionSpec[];
  /** Relative function modules resolve from here. */
  functionsRoot: string;
  stateMachines: StateMachineSpec[];
  streamSubscriptions: StreamSubscriptionSpec[];
  /** More JSON services on the edge (by X-Amz-Target prefix), made from the running emulators. */
  services?: (emulators: {
    eventBridge: EventBridgeEmulator;
    stepFunctions: StepFunctionsEmulator;
  }) => JsonService[];
  logger: Logger;
}

export interface AwsLocal {
  endpoints: { dynamodb: string; edge: string };
  /** What an SDK client or the AWS CLI needs to reach this stack (also what every function sees). */
  clientEnvironment: Record<string, string>;
  doc: DynamoDBDocumentClient;
  /** Each table's stream ARN and whether this start created it. */
  tables: Map<string, { streamArn?: string; created: boolean }>;
  lambda: LambdaInvoker;
  eventBridge: EventBridgeEmulator;
  stepFunctions: StepFunctionsEmulator;
  stop(): Promise<void>;
}

/** The ARN a function of this stack has, for Task resources and targets. */
export const functionArn = (name: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
/** The ARN of a bus's archive (each bus has one, named like it): StartReplay's EventSourceArn. */
export const archiveArn = (bus: string) => `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:archive/${bus}`;
export const stateMachineArn = (name: string) =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

/**
 * EventBridge, Step Functions, Lambda and the DynamoDB stream subscriptions over one DynamoDB,
 * behind one edge. Deliveries, resumed executions and stream polling begin before this
 * resolves: whatever the functions call must already be running.
 */
export const startAwsLocal = async (config: AwsLocalConfig): Promise<AwsLocal> => {
  const { logger } = config;
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
    const client = new DynamoDBClient(localClientConfig(config.dynamodbEndpoint, config.dynamodbAccessKey));
    stops.push(async () => client.destroy());
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    await ensureTable(client, runtimeTableSpec(config.runtimeTable));
    const tables = new Map<string, { streamArn?: string; created: boolean }>();
    for (const table of config.tables) tables.set(table.name, await ensureTable(client, table));

    let clientEnvironment: Record<string, string> = {};
    const lambda = createLambdaRegistry({
      functions: config.functions,
      rootDir: config.functionsRoot,
      logger: logger.child({ component: "lambda" }),
      commonEnvironment: () => clientEnvironment,
    });
    const eventBridge = createEventBridge({
      doc,
      tableName: config.runtimeTable,
      buses: config.buses,
      rules: config.rules,
      ...(config.scheduledRules ? { scheduledRules: config.scheduledRules } : {}),
      lambda,
      logger: logger.child({ component: "eventbridge" }),
    });
    const stepFunctions = createStepFunctions({
      doc,
      tableName: config.runtimeTable,
      lambda,
      putEvents: (entries) => eventBridge.putEvents(entries),
      logger: logger.child({ component: "stepfunctions" }),
    });
    const edge = await startEdgeServer({
      host: config.host,
      port: config.edgePort,
      services: [
        eventBridge.service,
        eventBridgeAdminService(eventBridge),
        stepFunctions.service,
        ...(config.services?.({ eventBridge, stepFunctions }) ?? []),
      ],
      rest: [
        lambdaRestHandler(lambda, (error) => logger.error("async invoke failed", { error: String(error) })),
      ],
      logger: logger.child({ component: "edge" }),
    });
    stops.push(() => edge.close());
    clientEnvironment = {
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: config.dynamodbAccessKey ?? "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: config.dynamodbEndpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: edge.url,
      AWS_ENDPOINT_URL_SFN: edge.url,
      AWS_ENDPOINT_URL_LAMBDA: edge.url,
    };

    for (const machine of config.stateMachines) {
      await stepFunctions.createStateMachine(machine.name, machine.definition);
    }
    await stepFunctions.resume();
    stops.push(() => stepFunctions.stop());
    await eventBridge.start();
    stops.push(() => eventBridge.stop());

    const streamsClient = new DynamoDBStreamsClient(
      localClientConfig(config.dynamodbEndpoint, config.dynamodbAccessKey),
    );
    stops.push(async () => streamsClient.destroy());
    for (const subscription of config.streamSubscriptions) {
      const streamArn = tables.get(subscription.table)?.streamArn;
      if (!streamArn) throw new Error(`Table ${subscription.table} has no stream for ${subscription.name}`);
      const poller = startStreamPoller({
        subscription,
        streamArn,
        streamsClient,
        doc,
        runtimeTable: config.runtimeTable,
        lambda,
        logger: logger.child({ component: "streams" }),
      });
      stops.push(() => poller.stop());
    }

    return {
      endpoints: { dynamodb: config.dynamodbEndpoint, edge: edge.url },
      clientEnvironment,
      doc,
      tables,
      lambda,
      eventBridge,
      stepFunctions,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
