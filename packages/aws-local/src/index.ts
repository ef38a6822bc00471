// The local AWS: EventBridge, Step Functions, Lambda and DynamoDB stream subscriptions behind
// one edge speaking AWS's JSON protocols, over DynamoDB Local. It runs whatever it is
// configured with (the types in ./config.ts) and knows no application.
import "./polyfills.js";

export { LOCAL_ACCOUNT, LOCAL_REGION, localClientConfig } from "./aws-config.js";
export type * from "./config.js";
export {
  type DynamoDbLocal,
  type DynamoDbLocalOptions,
  killStale,
  PID_REGISTRY_ENV,
  startDynamoDbLocal,
} from "./dynamodb/launcher.js";
export { ensureTable } from "./dynamodb/tables.js";
export { AwsServiceError } from "./edge/errors.js";
export type { EdgeServer, JsonService, RestHandler } from "./edge/server.js";
export { eventBridgeAdminService } from "./eventbridge/admin.js";
export {
  createEventBridge,
  type DeadLetterSummary,
  type EventBridgeCommands,
  type EventBridgeEmulator,
  type EventBridgeOptions,
  eventBridgeCommands,
} from "./eventbridge/index.js";
export {
  InvalidScheduleExpressionError,
  parseScheduleExpression,
  type Schedule,
} from "./eventbridge/schedule-expression.js";
export type { DeadLetter, ReplayOptions, ReplayResult } from "./eventbridge/types.js";
export { INHERITED_VARIABLES, withEnvironment } from "./lambda/environment.js";
export { functionNameOf, type InvokeResult, type LambdaInvoker } from "./lambda/invoker.js";
export { createLambdaRegistry } from "./lambda/registry.js";
export { createLogger, type Level, type Logger, logSettings, silentLogger } from "./logger.js";
export { freePort } from "./net.js";
export { runtimeTableSpec } from "./runtime-table.js";
export {
  type AwsLocal,
  type AwsLocalConfig,
  archiveArn,
  functionArn,
  startAwsLocal,
  stateMachineArn,
} from "./start.js";
export {
  createStepFunctions,
  type StepFunctionsEmulator,
  type StepFunctionsOptions,
} from "./stepfunctions/index.js";
