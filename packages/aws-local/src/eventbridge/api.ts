import { AwsServiceError, resourceNotFound, validationException } from "../edge/errors.js";
import type { JsonService } from "../edge/server.js";
import type { Logger } from "../logger.js";
import type { Bus, Registry } from "./bus.js";
import type { Destinations } from "./destinations.js";
import { REQUIRED_EVENT_FIELDS } from "./envelope.js";
import { listPage as page } from "./page.js";
import { compilePattern } from "./pattern/index.js";
import type { ReplayDeps } from "./replay.js";
import { replayApi } from "./replay-api.js";
import { rulesApi } from "./rules-api.js";
import type { RuntimeStore } from "./runtime-store.js";
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

const isPatternError = (error: unknown) =>
  (error as { name?: string } | null)?.name === "InvalidEventPatternException";

const READ_ONLY =
  "buses and archives come from the configuration the local AWS started with and are " +
  "read-only; change that configuration and restart";

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
  store: RuntimeStore;
  destinations: Destinations;
  replay: ReplayDeps;
  logger: Logger;
  hasFunction(name: string): boolean;
  /** Resolves once the runtime rules, connections and API destinations are loaded. */
  ready(): Promise<void>;
}): JsonService => {
  const { registry, destinations } = deps;

  const busOf = (input: Input, field = "EventBusName"): Bus => {
    const nameOrArn = optionalString(input, field);
    const bus = registry.resolve(nameOrArn);
    if (!bus) throw resourceNotFound(`Event bus ${registry.nameOf(nameOrArn)} does not exist.`);
    return bus;
  };

  const functionOfArn = (arn: string) => {
    const prefix = registry.functionArn("");
    const name = arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
    return name && deps.hasFunction(name) ? name : undefined;
  };

  type Operation = (input: Input) => Promise<unknown>;
  const afterLoad = (operations: Record<string, Operation>) =>
    Object.fromEntries(
      Object.entries(operations).map(([name, operation]) => [
        name,
        async (input: Input) => {
          await deps.ready();
          return operation(input);
        },
      ]),
    );

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
      ...afterLoad(
        rulesApi(
          {
            registry,
            store: deps.store,
            logger: deps.logger,
            busOf,
            arnKind: (arn) => {
              const fn = functionOfArn(arn);
              if (fn) return { kind: "function", name: fn };
              const destination = destinations.nameOfArn(arn);
              return destination ? { kind: "http", destination } : undefined;
            },
            targetArn: (target) =>
              target.kind === "http"
                ? destinations.arnOf(target.destination)
                : registry.functionArn(target.function),
          },
          page,
        ),
      ),
      ...afterLoad(destinations.operations),
      ...replayApi({ replay: deps.replay, page, createdAt: deps.createdAt }),
      ...Object.fromEntries(
        [
          "CreateEventBus",
          "UpdateEventBus",
          "DeleteEventBus",
          "CreateArchive",
          "UpdateArchive",
          "DeleteArchive",
        ].map((operation) => [operation, refused(operation, READ_ONLY)]),
      ),
    },
  };
};
