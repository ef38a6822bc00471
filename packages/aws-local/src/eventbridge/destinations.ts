import { randomUUID } from "node:crypto";
import { AwsServiceError, resourceNotFound, validationException } from "../edge/errors.js";
import type { Registry } from "./bus.js";
import { API_DESTINATION_PARTITION, CONNECTION_PARTITION, type RuntimeStore } from "./runtime-store.js";

// Connections and API destinations: the HTTP targets of EventBridge. A connection holds the
// credentials (an API key header or basic auth) and extra parameters; an API destination names
// an endpoint, a method and a connection. Secrets are kept in the runtime table (AWS keeps them
// in Secrets Manager) and never answered by Describe or List.

type Input = Record<string, unknown>;
type Operation = (input: Input) => Promise<unknown>;

export interface HttpParameter {
  key: string;
  value: string;
  secret: boolean;
}

export interface Connection {
  name: string;
  id: string;
  description?: string;
  authorizationType: "API_KEY" | "BASIC";
  apiKey?: { name: string; value: string };
  basic?: { username: string; password: string };
  headers: HttpParameter[];
  query: HttpParameter[];
  createdAt: number;
  modifiedAt: number;
}

export const HTTP_METHODS = ["POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ApiDestination {
  name: string;
  id: string;
  description?: string;
  connection: string;
  endpoint: string;
  method: HttpMethod;
  rateLimitPerSecond: number;
  createdAt: number;
  modifiedAt: number;
}

const namePattern = /^[.\-_A-Za-z0-9]{1,64}$/;
const isRecord = (value: unknown): value is Input =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const seconds = (ms: number) => ms / 1000;

const str = (input: Input, name: string, max: number, required: boolean): string | undefined => {
  const value = input[name];
  if (value === undefined || value === null || value === "") {
    if (!required) return undefined;
    throw validationException(
      `1 validation error detected: Value null at '${name[0]?.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (typeof value !== "string" || value.length > max)
    throw validationException(
      `Parameter ${name} is not valid. Reason: it must be a string of at most ${max} characters.`,
    );
  return value;
};

const nameOf = (input: Input): string => {
  const name = str(input, "Name", 64, true) as string;
  if (!namePattern.test(name))
    throw validationException(
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`,
    );
  return name;
};

const parameters = (value: unknown, what: string): HttpParameter[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw validationException(`${what} must be a list of {Key, Value}.`);
  return value.map((entry) => {
    if (!isRecord(entry) || typeof entry.Key !== "string" || typeof entry.Value !== "string")
      throw validationException(`${what} must be a list of {Key, Value} with string Key and Value.`);
    return { key: entry.Key, value: entry.Value, secret: entry.IsValueSecret === true };
  });
};

export interface Destinations {
  load(): Promise<void>;
  /** The API destination an ARN names, with its connection; undefined when either is gone. */
  resolve(name: string): { destination: ApiDestination; connection: Connection } | undefined;
  /** The API destination's name when the ARN is one of ours. */
  nameOfArn(arn: string): string | undefined;
  arnOf(name: string): string;
  operations: Record<string, Operation>;
}

export const createDestinations = (deps: {
  registry: Registry;
  store: RuntimeStore;
  page: <T>(items: T[], input: Input) => { items: T[]; next?: string };
}): Destinations => {
  const { registry, store, page } = deps;
  const connections = new Map<string, Connection>();
  const apiDestinations = new Map<string, ApiDestination>();
  const prefix = `arn:aws:events:${registry.region}:${registry.accountId}`;
  const connectionArn = (c: Connection) => `${prefix}:connection/${c.name}/${c.id}`;
  const destinationArn = (d: ApiDestination) => `${prefix}:api-destination/${d.name}/${d.id}`;
  const destinationArnPattern = /^arn:aws:events:[^:]*:[^:]*:api-destination\/([.\-_A-Za-z0-9]+)\/[^/]+$/;

  /** A destination outlives a deleted connection (its sends then fail): its ARN without the id. */
  const connectionArnOfName = (name: string) => {
    const connection = connections.get(name);
    return connection ? connectionArn(connection) : `${prefix}:connection/${name}`;
  };
  const connectionNamed = (name: string) => {
    const connection = connections.get(name);
    if (!connection)
      throw resourceNotFound(`Failed to describe the connection(s). Connection '${name}' does not exist.`);
    return connection;
  };
  const destinationNamed = (name: string) => {
    const destination = apiDestinations.get(name);
    if (!destination)
      throw resourceNotFound(
        `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`,
      );
    return destination;
  };
  const connectionOfArn = (arn: string) => {
    const connection = [...connections.values()].find((c) => connectionArn(c) === arn);
    if (!connection) throw resourceNotFound(`Connection ${arn} does not exist.`);
    return connection;
  };

  const connectionSummary = (c: Connection) => ({
    ConnectionArn: connectionArn(c),
    Name: c.name,
    ConnectionState: "AUTHORIZED",
    AuthorizationType: c.authorizationType,
    CreationTime: seconds(c.createdAt),
    LastModifiedTime: seconds(c.modifiedAt),
    LastAuthorizedTime: seconds(c.modifiedAt),
  });
  const destinationSummary = (d: ApiDestination) => ({
    ApiDestinationArn: destinationArn(d),
    Name: d.name,
    ApiDestinationState: "ACTIVE",
    ConnectionArn: connectionArnOfName(d.connection),
    InvocationEndpoint: d.endpoint,
    HttpMethod: d.method,
    InvocationRateLimitPerSecond: d.rateLimitPerSecond,
    CreationTime: seconds(d.createdAt),
    LastModifiedTime: seconds(d.modifiedAt),
  });
  const listed = (values: HttpParameter[]) =>
    values.map((p) => ({ Key: p.key, ...(p.secret ? {} : { Value: p.value }), IsValueSecret: p.secret }));

  const destinationFields = (input: Input, current?: ApiDestination) => {
    const connectionArnText = str(input, "ConnectionArn", 1600, !current);
    const connection = connectionArnText
      ? connectionOfArn(connectionArnText).name
      : (current?.connection as string);
    const endpoint = str(input, "InvocationEndpoint", 2048, !current) ?? (current?.endpoint as string);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw validationException(`InvocationEndpoint ${endpoint} is not a valid URL.`);
    }
    // AWS requires https; locally a plain http receiver on this machine is the common case.
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw validationException("InvocationEndpoint must be an http(s) URL.");
    const method = (str(input, "HttpMethod", 16, !current) ?? current?.method) as HttpMethod;
    if (!HTTP_METHODS.includes(method))
      throw validationException(
        `1 validation error detected: Value '${method}' at 'httpMethod' failed to satisfy constraint: Member must satisfy enum value set: [${HTTP_METHODS.join(", ")}]`,
      );
    const rate = input.InvocationRateLimitPerSecond ?? current?.rateLimitPerSecond ?? 300;
    if (typeof rate !== "number" || !Number.isInteger(rate) || rate < 1)
      throw validationException("InvocationRateLimitPerSecond must be an integer of at least 1.");
    const description = str(input, "Description", 512, false) ?? current?.description;
    return {
      connection,
      endpoint,
      method,
      rateLimitPerSecond: rate,
      ...(description ? { description } : {}),
    };
  };

  const operations: Record<string, Operation> = {
    CreateConnection: async (input) => {
      const name = nameOf(input);
      if (connections.has(name))
        throw new AwsServiceError("ResourceAlreadyExistsException", `Connection ${name} already exists.`);
      const type = str(input, "AuthorizationType", 32, true);
      if (type === "OAUTH_CLIENT_CREDENTIALS")
        throw new AwsServiceError(
          "OperationDisabledException",
          "OAUTH_CLIENT_CREDENTIALS connections are not available locally; use API_KEY or BASIC.",
        );
      if (type !== "API_KEY" && type !== "BASIC")
        throw validationException(
          `1 validation error detected: Value '${type}' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [API_KEY, BASIC, OAUTH_CLIENT_CREDENTIALS]`,
        );
      const auth = input.AuthParameters;
      if (!isRecord(auth)) throw validationException("AuthParameters are required.");
      const now = Date.now();
      const connection: Connection = {
        name,
        id: randomUUID(),
        authorizationType: type,
        headers: parameters(
          isRecord(auth.InvocationHttpParameters)
            ? auth.InvocationHttpParameters.HeaderParameters
            : undefined,
          "HeaderParameters",
        ),
        query: parameters(
          isRecord(auth.InvocationHttpParameters)
            ? auth.InvocationHttpParameters.QueryStringParameters
            : undefined,
          "QueryStringParameters",
        ),
        createdAt: now,
        modifiedAt: now,
      };
      const description = str(input, "Description", 512, false);
      if (description) connection.description = description;
      if (type === "API_KEY") {
        const key = auth.ApiKeyAuthParameters;
        if (
          !isRecord(key) ||
          typeof key.ApiKeyName !== "string" ||
          !key.ApiKeyName ||
          typeof key.ApiKeyValue !== "string" ||
          !key.ApiKeyValue
        )
          throw validationException(
            "ApiKeyAuthParameters with ApiKeyName and ApiKeyValue are required for API_KEY.",
          );
        connection.apiKey = { name: key.ApiKeyName, value: key.ApiKeyValue };
      } else {
        const basic = auth.BasicAuthParameters;
        if (
          !isRecord(basic) ||
          typeof basic.Username !== "string" ||
          !basic.Username ||
          typeof basic.Password !== "string" ||
          !basic.Password
        )
          throw validationException("BasicAuthParameters with Username and Password are required for BASIC.");
        connection.basic = { username: basic.Username, password: basic.Password };
      }
      await store.put(CONNECTION_PARTITION, name, connection);
      connections.set(name, connection);
      const { ConnectionArn, ConnectionState, CreationTime, LastModifiedTime } =
        connectionSummary(connection);
      return { ConnectionArn, ConnectionState, CreationTime, LastModifiedTime };
    },
    DescribeConnection: async (input) => {
      const c = connectionNamed(nameOf(input));
      return {
        ...connectionSummary(c),
        ...(c.description ? { Description: c.description } : {}),
        SecretArn: `arn:aws:secretsmanager:${registry.region}:${registry.accountId}:secret:events!connection/${c.name}/${c.id}`,
        AuthParameters: {
          ...(c.apiKey ? { ApiKeyAuthParameters: { ApiKeyName: c.apiKey.name } } : {}),
          ...(c.basic ? { BasicAuthParameters: { Username: c.basic.username } } : {}),
          ...(c.headers.length || c.query.length
            ? {
                InvocationHttpParameters: {
                  ...(c.headers.length ? { HeaderParameters: listed(c.headers) } : {}),
                  ...(c.query.length ? { QueryStringParameters: listed(c.query) } : {}),
                },
              }
            : {}),
        },
      };
    },
    ListConnections: async (input) => {
      const prefixText = str(input, "NamePrefix", 64, false) ?? "";
      const all = [...connections.values()]
        .filter((c) => c.name.startsWith(prefixText))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const { items, next } = page(all, input);
      return { Connections: items.map(connectionSummary), ...(next ? { NextToken: next } : {}) };
    },
    DeleteConnection: async (input) => {
      const c = connectionNamed(nameOf(input));
      await store.delete(CONNECTION_PARTITION, c.name);
      connections.delete(c.name);
      const { ConnectionArn, CreationTime, LastModifiedTime, LastAuthorizedTime } = connectionSummary(c);
      return {
        ConnectionArn,
        ConnectionState: "DELETING",
        CreationTime,
        LastModifiedTime,
        LastAuthorizedTime,
      };
    },
    CreateApiDestination: async (input) => {
      const name = nameOf(input);
      if (apiDestinations.has(name))
        throw new AwsServiceError(
          "ResourceAlreadyExistsException",
          `An api-destination ${name} already exists.`,
        );
      const now = Date.now();
      const destination: ApiDestination = {
        name,
        id: randomUUID(),
        ...destinationFields(input),
        createdAt: now,
        modifiedAt: now,
      };
      await store.put(API_DESTINATION_PARTITION, name, destination);
      apiDestinations.set(name, destination);
      return {
        ApiDestinationArn: destinationArn(destination),
        ApiDestinationState: "ACTIVE",
        CreationTime: seconds(now),
        LastModifiedTime: seconds(now),
      };
    },
    UpdateApiDestination: async (input) => {
      const current = destinationNamed(nameOf(input));
      const updated: ApiDestination = {
        ...current,
        ...destinationFields(input, current),
        modifiedAt: Date.now(),
      };
      await store.put(API_DESTINATION_PARTITION, updated.name, updated);
      apiDestinations.set(updated.name, updated);
      return {
        ApiDestinationArn: destinationArn(updated),
        ApiDestinationState: "ACTIVE",
        CreationTime: seconds(updated.createdAt),
        LastModifiedTime: seconds(updated.modifiedAt),
      };
    },
    DescribeApiDestination: async (input) => {
      const d = destinationNamed(nameOf(input));
      return { ...destinationSummary(d), ...(d.description ? { Description: d.description } : {}) };
    },
    ListApiDestinations: async (input) => {
      const prefixText = str(input, "NamePrefix", 64, false) ?? "";
      const byConnection = str(input, "ConnectionArn", 1600, false);
      const all = [...apiDestinations.values()]
        .filter((d) => d.name.startsWith(prefixText))
        .filter((d) => !byConnection || connectionArnOfName(d.connection) === byConnection)
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const { items, next } = page(all, input);
      return { ApiDestinations: items.map(destinationSummary), ...(next ? { NextToken: next } : {}) };
    },
    DeleteApiDestination: async (input) => {
      const d = destinationNamed(nameOf(input));
      await store.delete(API_DESTINATION_PARTITION, d.name);
      apiDestinations.delete(d.name);
      return {};
    },
  };

  return {
    load: async () => {
      connections.clear();
      apiDestinations.clear();
      for (const c of await store.list<Connection>(CONNECTION_PARTITION)) connections.set(c.name, c);
      for (const d of await store.list<ApiDestination>(API_DESTINATION_PARTITION))
        apiDestinations.set(d.name, d);
    },
    resolve: (name) => {
      const destination = apiDestinations.get(name);
      const connection = destination && connections.get(destination.connection);
      return destination && connection ? { destination, connection } : undefined;
    },
    nameOfArn: (arn) => {
      const name = destinationArnPattern.exec(arn)?.[1];
      const destination = name ? apiDestinations.get(name) : undefined;
      return destination && destinationArn(destination) === arn ? destination.name : undefined;
    },
    arnOf: (name) => {
      const destination = apiDestinations.get(name);
      return destination ? destinationArn(destination) : `${prefix}:api-destination/${name}`;
    },
    operations,
  };
};
