import { AwsServiceError } from "../edge/errors.js";
import type { JsonService } from "../edge/server.js";
import { machineNameOf, parseExecutionArn } from "./arns.js";
import type { Engine } from "./engine.js";
import { startedRecord, toApiEvent } from "./history.js";
import { describeMachine, saveMachine } from "./machines.js";
import type { ExecutionRecord, HistoryPosition } from "./store.js";

const encodeToken = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key), "utf8").toString("base64url") : undefined;

const decodeToken = (token: unknown): Record<string, unknown> | undefined => {
  if (token === undefined || token === null || token === "") return undefined;
  try {
    const key = JSON.parse(Buffer.from(String(token), "base64url").toString("utf8")) as unknown;
    if (key && typeof key === "object") return key as Record<string, unknown>;
  } catch {}
  throw new AwsServiceError("InvalidToken", "Invalid Token: the nextToken is not valid");
};

const historyPosition = (key: Record<string, unknown> | undefined): HistoryPosition | undefined => {
  if (key === undefined) return undefined;
  if (Number.isInteger(key.rev) && Number.isInteger(key.id))
    return { rev: key.rev as number, id: key.id as number };
  throw new AwsServiceError("InvalidToken", "Invalid Token: the nextToken is not valid");
};

const pageSize = (value: unknown, fallback: number, max = 1000) => {
  if (value === undefined || value === null || value === 0) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
    throw new AwsServiceError("ValidationException", `maxResults must be an integer between 0 and ${max}`);
  }
  return value;
};

const optionalString = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw new AwsServiceError("ValidationException", `${field} must be a string`);
  return value;
};

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

const listItem = (record: ExecutionRecord) => ({
  executionArn: record.arn,
  stateMachineArn: record.machineArn,
  name: record.name,
  status: record.status,
  startDate: seconds(record.startDate),
  stopDate: seconds(record.stopDate),
});

const statuses = new Set(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"]);

/** The AWS Step Functions API (JSON 1.0, `AWSStepFunctions.*`), shapes as in the API reference. */
export const stepFunctionsService = (engine: Engine): JsonService => {
  const machine = async (arn: unknown) => {
    const record = await engine.store.getMachine(machineNameOf(arn));
    if (!record)
      throw new AwsServiceError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${String(arn)}'`);
    return record;
  };
  const execution = async (arn: unknown) => {
    parseExecutionArn(arn);
    const record = await engine.store.getExecution(arn as string);
    if (!record)
      throw new AwsServiceError("ExecutionDoesNotExist", `Execution Does Not Exist: '${String(arn)}'`);
    return record;
  };

  return {
    name: "stepfunctions",
    targetPrefix: "AWSStepFunctions",
    operations: {
      async CreateStateMachine(input) {
        if (input.type !== undefined && input.type !== "STANDARD") {
          throw new AwsServiceError(
            "StateMachineTypeNotSupported",
            "Only STANDARD state machines are supported locally",
          );
        }
        const { record } = await saveMachine(
          engine,
          { name: input.name, definition: input.definition, roleArn: input.roleArn },
          "create",
        );
        return { stateMachineArn: record.arn, creationDate: seconds(record.creationDate) };
      },
      async UpdateStateMachine(input) {
        const existing = await machine(input.stateMachineArn);
        const definition = input.definition ?? (await engine.store.getDefinition(existing.definitionHash));
        const { record } = await saveMachine(
          engine,
          { name: existing.name, definition, roleArn: input.roleArn ?? existing.roleArn },
          "replace",
        );
        return { updateDate: seconds(record.updateDate ?? record.creationDate) };
      },
      async DescribeStateMachine(input) {
        return describeMachine(engine, await machine(input.stateMachineArn));
      },
      async DescribeStateMachineForExecution(input) {
        const record = await execution(input.executionArn);
        const definition = await engine.store.getDefinition(record.definitionHash);
        return {
          stateMachineArn: record.machineArn,
          name: record.machineName,
          definition,
          roleArn: record.roleArn,
          updateDate: seconds(record.startDate),
        };
      },
      async ListStateMachines(input) {
        const page = await engine.store.listMachines(
          pageSize(input.maxResults, 100),
          decodeToken(input.nextToken),
        );
        return {
          stateMachines: page.items.map((record) => ({
            stateMachineArn: record.arn,
            name: record.name,
            type: "STANDARD",
            creationDate: seconds(record.creationDate),
          })),
          nextToken: encodeToken(page.nextKey),
        };
      },
      async DeleteStateMachine(input) {
        const name = machineNameOf(input.stateMachineArn);
        await engine.store.deleteMachine(name);
        return {};
      },
      async StartExecution(input) {
        const record = await engine.store.machineToStart(machineNameOf(input.stateMachineArn));
        if (!record) {
          throw new AwsServiceError(
            "StateMachineDoesNotExist",
            `State Machine Does Not Exist: '${String(input.stateMachineArn)}'`,
          );
        }
        const started = await engine.startExecution(
          record,
          optionalString(input.name, "name"),
          optionalString(input.input, "input"),
        );
        return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
      },
      async DescribeExecution(input) {
        const record = await execution(input.executionArn);
        return {
          ...listItem(record),
          input: record.input,
          inputDetails: { included: true },
          output: record.output,
          outputDetails: record.output !== undefined ? { included: true } : undefined,
          error: record.error,
          cause: record.cause,
          redriveCount: 0,
          redriveStatus: "NOT_REDRIVABLE",
        };
      },
      async ListExecutions(input) {
        const record = await machine(input.stateMachineArn);
        const status = optionalString(input.statusFilter, "statusFilter");
        if (status !== undefined && !statuses.has(status)) {
          throw new AwsServiceError(
            "ValidationException",
            `statusFilter must be one of ${[...statuses].join(", ")}`,
          );
        }
        const page = await engine.store.listExecutions(
          record.arn,
          status,
          pageSize(input.maxResults, 100),
          decodeToken(input.nextToken),
        );
        return { executions: page.items.map(listItem), nextToken: encodeToken(page.nextKey) };
      },
      async GetExecutionHistory(input) {
        const record = await execution(input.executionArn);
        const page = await engine.store.history(
          record.arn,
          { started: startedRecord(record), closing: record.closing },
          {
            reverse: input.reverseOrder === true,
            limit: pageSize(input.maxResults, 100),
            after: historyPosition(decodeToken(input.nextToken)),
          },
        );
        const includeData = input.includeExecutionData !== false;
        return {
          events: page.items.map((event) => toApiEvent(event, includeData)),
          nextToken: encodeToken(page.nextKey),
        };
      },
      async StopExecution(input) {
        await execution(input.executionArn);
        const stopDate = await engine.stopExecution(
          input.executionArn as string,
          optionalString(input.error, "error"),
          optionalString(input.cause, "cause"),
        );
        return { stopDate: seconds(stopDate) };
      },
      async SendTaskSuccess(input) {
        await engine.sendTaskSuccess(input.taskToken, input.output);
        return {};
      },
      async SendTaskFailure(input) {
        await engine.sendTaskFailure(
          input.taskToken,
          optionalString(input.error, "error"),
          optionalString(input.cause, "cause"),
        );
        return {};
      },
      async SendTaskHeartbeat(input) {
        await engine.sendTaskHeartbeat(input.taskToken);
        return {};
      },
    },
  };
};
