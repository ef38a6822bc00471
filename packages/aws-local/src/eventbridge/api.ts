import { AwsServiceError, resourceNotFound, validationException } from "../edge/errors.js";
import type { JsonService } from "../edge/server.js";
import type { Bus, CompiledRule, Registry } from "./bus.js";
import { REQUIRED_EVENT_FIELDS } from "./envelope.js";
import { compilePattern } from "./pattern/index.js";
import type { PutEventsResponse } from "./types.js";

type Input = Record<string, unknown>;

const optionalString = (input: Input, name: string): string | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw validationException(`Parameter ${name} is not valid. Reason: it must be a string.`);
  return value;
};

const requiredString = (input: Input, name: string): string => {
  const value = optionalString(input, name);
  if (value === undefined || value === "") {
    throw validationException(
      `1 validation error detected: Value null at '${name[0]?.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

/** NextToken is an opaque offset; Limit is 1..100 as on AWS. */
const page = <T>(items: T[], input: Input): { items: T[]; next?: string } => {
  const limitValue = input.Limit;
  let limit = 100;
  if (limitValue !== undefined && limitValue !== null) {
    if (
      typeof limitValue !== "number" ||
      !Number.isInteger(limitValue) ||
      limitValue < 1 ||
      limitValue > 100
    ) {
      throw validationException("Parameter Limit is not valid. Reason: Limit must be between 1 and 100.");
    }
    limit = limitValue;
  }
  let offset = 0;
  const token = optionalString(input, "NextToken");
  if (token) {
    const decoded = Number(Buffer.from(token, "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) throw validationException("The NextToken is not valid.");
    offset = decoded;
  }
  const slice = items.slice(offset, offset + limit);
  const end = offset + slice.length;
  return end < items.length
    ? { items: slice, next: Buffer.from(String(end)).toString("base64url") }
    : { items: slice };
};

const isPatternError = (error: unknown) =>
  (error as { name?: string } | null)?.name === "InvalidEventPatternException";

const READ_ONLY =
  "buses, rules, targets and archives come from the configuration the local AWS started with and are " +
  "read-only; change that configuration and restart";
const REPLAY = "replays run through the edge's admin operation AwsLocalAdmin.StartReplay";

const refused = (operation: string, reason: string) => async () => {
  throw new AwsServiceError(
    "OperationDisabledException",
    `${operation} is not available locally: ${reason}.`,
  );
};

export const createApi = (deps: {
  registry: Registry;
  createdAt: number;
  putEvents(entries: unknown): Promise<PutEventsResponse>;
}): JsonService => {
  const { registry } = deps;

  const busOf = (input: Input, field = "EventBusName"): Bus => {
    const nameOrArn = optionalString(input, field);
    const bus = registry.resolve(nameOrArn);
    if (!bus) throw resourceNotFound(`Event bus ${registry.nameOf(nameOrArn)} does not exist.`);
    return bus;
  };

  const ruleOf = (bus: Bus, name: string): CompiledRule => {
    const rule = bus.rules.find((r) => r.spec.name === name);
    if (!rule) throw resourceNotFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  };

  const describeRule = (bus: Bus, rule: CompiledRule) => ({
    Name: rule.spec.name,
    Arn: rule.arn,
    ...(rule.schedule
      ? { ScheduleExpression: rule.schedule.expression }
      : { EventPattern: JSON.stringify(rule.spec.pattern) }),
    State: "ENABLED",
    Description: rule.spec.description,
    EventBusName: bus.name,
  });

  const targetsOf = (rule: CompiledRule) => {
    const seen = new Map<string, number>();
    return rule.spec.targets.map((target) => {
      const count = (seen.get(target.function) ?? 0) + 1;
      seen.set(target.function, count);
      return {
        Id: count === 1 ? target.function : `${target.function}-${count}`,
        Arn: registry.functionArn(target.function),
        RetryPolicy: {
          MaximumRetryAttempts: target.retry.maximumRetryAttempts,
          MaximumEventAgeInSeconds: target.retry.maximumEventAgeSeconds,
        },
      };
    });
  };

  const testEventPattern = async (input: Input) => {
    const patternText = requiredString(input, "EventPattern");
    const eventText = requiredString(input, "Event");
    let pattern: unknown;
    try {
      pattern = JSON.parse(patternText);
    } catch (error) {
      throw new AwsServiceError(
        "InvalidEventPatternException",
        `Event pattern is not valid. Reason: ${(error as Error).message}`,
      );
    }
    let matcher: { matches(event: unknown): boolean };
    try {
      matcher = compilePattern(pattern);
    } catch (error) {
      if (isPatternError(error))
        throw new AwsServiceError("InvalidEventPatternException", (error as Error).message);
      throw error;
    }
    let event: unknown;
    try {
      event = JSON.parse(eventText);
    } catch {
      throw validationException("Parameter Event is not valid.");
    }
    if (typeof event !== "object" || event === null || Array.isArray(event)) {
      throw validationException("Parameter Event is not valid.");
    }
    for (const field of REQUIRED_EVENT_FIELDS) {
      if (!(field in event)) throw validationException("Parameter Event is not valid.");
    }
    return { Result: matcher.matches(event) };
  };

  return {
    name: "events",
    targetPrefix: "AWSEvents",
    operations: {
      PutEvents: async (input) => deps.putEvents(input.Entries),
      TestEventPattern: testEventPattern,
      ListRules: async (input) => {
        const bus = busOf(input);
        const prefix = optionalString(input, "NamePrefix") ?? "";
        const rules = bus.rules.filter((rule) => rule.spec.name.startsWith(prefix));
        const { items, next } = page(rules, input);
        return { Rules: items.map((rule) => describeRule(bus, rule)), ...(next ? { NextToken: next } : {}) };
      },
      DescribeRule: async (input) => {
        const bus = busOf(input);
        const rule = ruleOf(bus, requiredString(input, "Name"));
        return { ...describeRule(bus, rule), CreatedBy: registry.accountId };
      },
      ListTargetsByRule: async (input) => {
        const bus = busOf(input);
        const rule = ruleOf(bus, requiredString(input, "Rule"));
        const { items, next } = page(targetsOf(rule), input);
        return { Targets: items, ...(next ? { NextToken: next } : {}) };
      },
      DescribeEventBus: async (input) => {
        const bus = busOf(input, "Name");
        return { Name: bus.name, Arn: bus.arn, CreationTime: deps.createdAt / 1000 };
      },
      ListEventBuses: async (input) => {
        const prefix = optionalString(input, "NamePrefix") ?? "";
        const buses = [...registry.buses.values()]
          .filter((bus) => bus.name.startsWith(prefix))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const { items, next } = page(buses, input);
        return {
          EventBuses: items.map((bus) => ({
            Name: bus.name,
            Arn: bus.arn,
            CreationTime: deps.createdAt / 1000,
          })),
          ...(next ? { NextToken: next } : {}),
        };
      },
      ...Object.fromEntries(
        [
          "PutRule",
          "DeleteRule",
          "EnableRule",
          "DisableRule",
          "PutTargets",
          "RemoveTargets",
          "CreateEventBus",
          "UpdateEventBus",
          "DeleteEventBus",
          "CreateArchive",
          "UpdateArchive",
          "DeleteArchive",
        ].map((operation) => [operation, refused(operation, READ_ONLY)]),
      ),
      StartReplay: refused("StartReplay", REPLAY),
      CancelReplay: refused("CancelReplay", REPLAY),
    },
  };
};
