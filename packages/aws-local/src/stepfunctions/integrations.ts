import { randomUUID } from "node:crypto";
import type { InvokeResult, LambdaInvoker } from "../lambda/invoker.js";
import type { TaskKind } from "./definition.js";
import type { ResourceLabel } from "./history.js";

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
}

export type PutEvents = (entries: PutEventsEntry[]) => Promise<{
  FailedEntryCount: number;
  Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }>;
}>;

export type Outcome = { ok: true; result: unknown } | { ok: false; error: string; cause: string };

export const labelOf = (task: TaskKind): ResourceLabel => {
  switch (task.kind) {
    case "lambda-invoke":
      return { resourceType: "lambda", resource: task.callback ? "invoke.waitForTaskToken" : "invoke" };
    case "events-put":
      return { resourceType: "events", resource: task.callback ? "putEvents.waitForTaskToken" : "putEvents" };
    case "lambda-function":
      return { resourceType: "lambda", resource: task.functionArn };
    case "wait":
      return { resourceType: "states", resource: "wait" };
  }
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === "object" && !Array.isArray(value);

// A function error reaches the workflow as Lambda reports it: the error is the function's
// errorType, the cause the JSON of its error payload.
const functionFailure = (result: Extract<InvokeResult, { ok: false }>): Outcome => ({
  ok: false,
  error: result.errorType,
  cause: JSON.stringify({
    errorMessage: result.errorMessage,
    errorType: result.errorType,
    trace: result.trace ?? [],
  }),
});

type Failure = Extract<Outcome, { ok: false }>;

const invoke = async (
  lambda: LambdaInvoker,
  nameOrArn: string,
  payload: unknown,
): Promise<InvokeResult | Failure> => {
  if (!lambda.has(nameOrArn)) {
    return {
      ok: false,
      error: "Lambda.ResourceNotFoundException",
      cause: `Function not found: ${nameOrArn} (Service: Lambda, Status Code: 404)`,
    };
  }
  try {
    return await lambda.invoke(nameOrArn, payload);
  } catch (error) {
    return { ok: false, error: "Lambda.ServiceException", cause: String((error as Error)?.message ?? error) };
  }
};

/** `arn:aws:states:::lambda:invoke`: Parameters are the Invoke request, the result its response. */
export const lambdaInvokeIntegration = async (
  lambda: LambdaInvoker,
  parameters: unknown,
): Promise<Outcome> => {
  const functionName = isObject(parameters) ? parameters.FunctionName : undefined;
  if (typeof functionName !== "string" || !functionName) {
    return { ok: false, error: "States.Runtime", cause: "lambda:invoke needs Parameters.FunctionName" };
  }
  const payload = isObject(parameters) && "Payload" in parameters ? parameters.Payload : {};
  const result = await invoke(lambda, functionName, payload);
  if (!result.ok) return "errorType" in result ? functionFailure(result) : result;
  const requestId = randomUUID();
  const headers = {
    "Content-Type": "application/json",
    "X-Amz-Executed-Version": "$LATEST",
    "x-amzn-RequestId": requestId,
  };
  return {
    ok: true,
    result: {
      ExecutedVersion: "$LATEST",
      Payload: result.payload ?? null,
      SdkHttpMetadata: { AllHttpHeaders: headers, HttpHeaders: headers, HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    },
  };
};

/** A Lambda function ARN as the resource: the input is the payload, the result its return. */
export const lambdaFunctionTask = async (
  lambda: LambdaInvoker,
  functionArn: string,
  input: unknown,
): Promise<Outcome> => {
  const result = await invoke(lambda, functionArn, input);
  if (!result.ok) return "errorType" in result ? functionFailure(result) : result;
  return { ok: true, result: result.payload ?? null };
};

/** `arn:aws:states:::events:putEvents`: a Detail given as an object is sent as its JSON. */
export const putEventsIntegration = async (putEvents: PutEvents, parameters: unknown): Promise<Outcome> => {
  const entries = isObject(parameters) ? parameters.Entries : undefined;
  if (!Array.isArray(entries) || entries.length === 0) {
    return {
      ok: false,
      error: "States.Runtime",
      cause: "events:putEvents needs a non-empty Parameters.Entries",
    };
  }
  const request: PutEventsEntry[] = entries.map((entry) => {
    const source = isObject(entry) ? entry : {};
    const detail = source.Detail;
    return {
      Source: source.Source as string | undefined,
      DetailType: source.DetailType as string | undefined,
      Detail: detail === undefined || typeof detail === "string" ? detail : JSON.stringify(detail),
      EventBusName: source.EventBusName as string | undefined,
      Resources: source.Resources as string[] | undefined,
    };
  });
  let response: Awaited<ReturnType<PutEvents>>;
  try {
    response = await putEvents(request);
  } catch (error) {
    const name =
      (error as Error)?.name && (error as Error).name !== "Error"
        ? (error as Error).name
        : "AmazonEventBridgeException";
    return { ok: false, error: `EventBridge.${name}`, cause: String((error as Error)?.message ?? error) };
  }
  if (response.FailedEntryCount > 0) {
    return { ok: false, error: "EventBridge.FailedEntry", cause: JSON.stringify(response) };
  }
  return { ok: true, result: { Entries: response.Entries, FailedEntryCount: response.FailedEntryCount } };
};
