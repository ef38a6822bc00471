import type { RetryPolicy, TargetSpec } from "../config.js";
import { AwsServiceError, validationException } from "../edge/errors.js";
import { parsePath, RESERVED_VARIABLES, type TargetInput } from "./input.js";

/** HttpParameters of an API destination target. */
export interface HttpTargetParameters {
  pathParameterValues?: string[];
  headerParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

/** A function target: from the configuration, or put at run time (then with an Id and maybe an input). */
export type FunctionTarget = TargetSpec & { id?: string; input?: TargetInput };

/** An API destination: the event (or its input) sent by HTTP. */
export interface HttpTarget {
  kind: "http";
  id: string;
  /** The API destination's name. */
  destination: string;
  retry: RetryPolicy;
  input?: TargetInput;
  http?: HttpTargetParameters;
}

export type RuleTarget = FunctionTarget | HttpTarget;

/** What deliveries and dead letters name as the target. */
export const targetLabel = (target: RuleTarget) =>
  target.kind === "http" ? `api-destination/${target.destination}` : target.function;

/** AWS's default RetryPolicy of a target. */
export const DEFAULT_RETRY: RetryPolicy = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 };
export const MAX_TARGETS_PER_RULE = 5;

type Input = Record<string, unknown>;
const idPattern = /^[.\-_A-Za-z0-9]{1,64}$/;
const variableNamePattern = /^[A-Za-z0-9_-]{1,256}$/;

const isRecord = (value: unknown): value is Input =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const stringMap = (value: unknown, what: string): Record<string, string> | undefined => {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw validationException(`Parameter ${what} is not valid. Reason: it must be a map of strings.`);
  }
  return value as Record<string, string>;
};

const retryOf = (value: unknown, id: string): RetryPolicy => {
  if (value === undefined || value === null) return DEFAULT_RETRY;
  if (!isRecord(value)) throw validationException(`RetryPolicy of target ${id} is not valid.`);
  const attempts = value.MaximumRetryAttempts ?? DEFAULT_RETRY.maximumRetryAttempts;
  const age = value.MaximumEventAgeInSeconds ?? DEFAULT_RETRY.maximumEventAgeSeconds;
  if (typeof attempts !== "number" || !Number.isInteger(attempts) || attempts < 0 || attempts > 185) {
    throw validationException(
      `1 validation error detected: Value '${String(attempts)}' at 'targets.${id}.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value between 0 and 185`,
    );
  }
  if (typeof age !== "number" || !Number.isInteger(age) || age < 60 || age > 86_400) {
    throw validationException(
      `1 validation error detected: Value '${String(age)}' at 'targets.${id}.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value between 60 and 86400`,
    );
  }
  return { maximumRetryAttempts: attempts, maximumEventAgeSeconds: age };
};

const inputOf = (target: Input, id: string): TargetInput | undefined => {
  const given = ["Input", "InputPath", "InputTransformer"].filter(
    (name) => target[name] !== undefined && target[name] !== null,
  );
  if (given.length > 1) {
    throw validationException(
      `Target ${id}: only one of Input, InputPath and InputTransformer may be given (it has ${given.join(", ")}).`,
    );
  }
  if (target.Input !== undefined && target.Input !== null) {
    if (typeof target.Input !== "string" || target.Input.length > 8192) {
      throw validationException(`Input for target ${id} must be a string of at most 8192 characters.`);
    }
    try {
      JSON.parse(target.Input);
    } catch {
      throw validationException(`Input for target ${id} is not valid JSON.`);
    }
    return { kind: "constant", json: target.Input };
  }
  if (target.InputPath !== undefined && target.InputPath !== null) {
    if (
      typeof target.InputPath !== "string" ||
      target.InputPath.length > 256 ||
      !parsePath(target.InputPath)
    ) {
      throw validationException(
        `InputPath for target ${id} is not valid: use a JSONPath such as $ or $.detail.name (at most 256 characters).`,
      );
    }
    return { kind: "path", path: target.InputPath };
  }
  const transformer = target.InputTransformer;
  if (transformer === undefined || transformer === null) return undefined;
  if (!isRecord(transformer)) throw validationException(`InputTransformer for target ${id} is not valid.`);
  const template = transformer.InputTemplate;
  if (typeof template !== "string" || template.length < 1 || template.length > 8192) {
    throw validationException(
      `1 validation error detected: Value null at 'targets.${id}.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must have length between 1 and 8192`,
    );
  }
  const pathsMap = stringMap(transformer.InputPathsMap, "InputPathsMap") ?? {};
  const names = Object.keys(pathsMap);
  if (names.length > 100) {
    throw validationException(
      `InputPathsMap for target ${id} has ${names.length} variables; at most 100 are allowed.`,
    );
  }
  for (const name of names) {
    if ((RESERVED_VARIABLES as readonly string[]).includes(name) || name.startsWith("aws.")) {
      throw validationException(`InputTransformer for target ${id}: the variable name ${name} is reserved.`);
    }
    if (!variableNamePattern.test(name)) {
      throw validationException(
        `InputTransformer for target ${id}: the variable name ${name} must be letters, digits, - and _.`,
      );
    }
    const path = pathsMap[name] as string;
    if (!parsePath(path)) {
      throw validationException(
        `InputPathsMap for target ${id}: ${path} is not a valid JSONPath (use $ or $.detail.name).`,
      );
    }
  }
  return { kind: "transformer", pathsMap, template };
};

const httpOf = (value: unknown, id: string): HttpTargetParameters | undefined => {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw validationException(`HttpParameters of target ${id} is not valid.`);
  const path = value.PathParameterValues;
  if (
    path !== undefined &&
    path !== null &&
    (!Array.isArray(path) || !path.every((p) => typeof p === "string"))
  ) {
    throw validationException(
      `HttpParameters.PathParameterValues of target ${id} must be a list of strings.`,
    );
  }
  const headers = stringMap(value.HeaderParameters, "HttpParameters.HeaderParameters");
  const query = stringMap(value.QueryStringParameters, "HttpParameters.QueryStringParameters");
  return {
    ...(Array.isArray(path) ? { pathParameterValues: path as string[] } : {}),
    ...(headers ? { headerParameters: headers } : {}),
    ...(query ? { queryStringParameters: query } : {}),
  };
};

/** Where a target's Arn points, as far as this emulator can deliver. */
export type ArnKind = { kind: "function"; name: string } | { kind: "http"; destination: string } | undefined;

export interface ParsedTarget {
  id: string;
  arn: string;
  retry: RetryPolicy;
  input?: TargetInput;
  http?: HttpTargetParameters;
}

/** The shape checks of one PutTargets target; what its Arn names is checked by the caller. */
export const parseTarget = (raw: unknown): ParsedTarget => {
  if (!isRecord(raw)) throw validationException("Each target must be an object with Id and Arn.");
  const id = raw.Id;
  if (typeof id !== "string" || !idPattern.test(id)) {
    throw validationException(
      `1 validation error detected: Value '${String(id)}' at 'targets.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ (1 to 64 characters)`,
    );
  }
  const arn = raw.Arn;
  if (typeof arn !== "string" || arn.length < 1 || arn.length > 1600) {
    throw validationException(
      `1 validation error detected: Value null at 'targets.${id}.member.arn' failed to satisfy constraint: Member must not be null`,
    );
  }
  const input = inputOf(raw, id);
  const http = httpOf(raw.HttpParameters, id);
  return {
    id,
    arn,
    retry: retryOf(raw.RetryPolicy, id),
    ...(input ? { input } : {}),
    ...(http ? { http } : {}),
  };
};

/** The target as ListTargetsByRule answers it. */
export const describeTarget = (target: RuleTarget, arn: string, id: string) => {
  const input = target.input;
  const http = target.kind === "http" ? target.http : undefined;
  return {
    Id: id,
    Arn: arn,
    ...(input?.kind === "constant" ? { Input: input.json } : {}),
    ...(input?.kind === "path" ? { InputPath: input.path } : {}),
    ...(input?.kind === "transformer"
      ? { InputTransformer: { InputPathsMap: input.pathsMap, InputTemplate: input.template } }
      : {}),
    ...(http
      ? {
          HttpParameters: {
            ...(http.pathParameterValues ? { PathParameterValues: http.pathParameterValues } : {}),
            ...(http.headerParameters ? { HeaderParameters: http.headerParameters } : {}),
            ...(http.queryStringParameters ? { QueryStringParameters: http.queryStringParameters } : {}),
          },
        }
      : {}),
    RetryPolicy: {
      MaximumRetryAttempts: target.retry.maximumRetryAttempts,
      MaximumEventAgeInSeconds: target.retry.maximumEventAgeSeconds,
    },
  };
};

export const limitExceeded = (message: string) => new AwsServiceError("LimitExceededException", message);
