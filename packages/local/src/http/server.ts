import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { IntegrationClientRepository } from "@allot/core/integration";
import type { RouteSpec } from "@allot/stacks";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { type LambdaInvoker, LOCAL_ACCOUNT, type Logger } from "aws-local";
import type { Issuer } from "./issuer.js";
import { answerTokenRequest, openidConfiguration, TOKEN_PATH } from "./token-endpoint.js";

interface CompiledRoute {
  route: RouteSpec;
  routeKey: string;
  regex: RegExp;
  names: string[];
}

const compile = (route: RouteSpec): CompiledRoute => {
  const names: string[] = [];
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
    .replace(/\\?\{([^}]+?)(\\\+)?\}/g, (_, name: string, greedy) => {
      names.push(name.replace(/\+$/, ""));
      return greedy ? "(.+)" : "([^/]+)";
    });
  return { route, routeKey: `${route.method} ${route.path}`, regex: new RegExp(`^${source}$`), names };
};

// API Gateway answers 400 itself for a target it cannot parse or decode, before any route or
// authorizer runs; so does this server, instead of letting a URIError become a 500.
const parseTarget = (target: string | undefined) => {
  try {
    return new URL(target ?? "/", "http://localhost");
  } catch {
    return undefined;
  }
};

const decodePathParameters = (match: CompiledRoute, pathname: string) => {
  const values = match.regex.exec(pathname)?.slice(1) ?? [];
  try {
    return Object.fromEntries(match.names.map((n, i) => [n, decodeURIComponent(values[i] ?? "")]));
  } catch {
    return undefined;
  }
};

// API Gateway's HTTP API refuses a payload over 10 MB with a 413 before any function runs.
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The body, or undefined once it passes the limit (the rest is drained, not kept). */
const readBody = (request: IncomingMessage) =>
  new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    request.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on("error", reject);
  });

const isText = (contentType: string | undefined) =>
  !contentType || /json|text|xml|x-www-form-urlencoded|javascript/.test(contentType);

/**
 * The HTTP API: the routes of stacks/, each request turned into the payload-2.0 event that
 * API Gateway's HTTP API sends, with the JWT authorizer's checks and claims, and answered by
 * invoking the route's function through the same Lambda path as everything else.
 */
export const startHttpApi = async (options: {
  host: string;
  port: number;
  routes: RouteSpec[];
  lambda: LambdaInvoker;
  issuer: Issuer;
  /** The integration clients the token endpoint authenticates. */
  clients: IntegrationClientRepository;
  logger: Logger;
}) => {
  const compiled = options.routes.map(compile);
  const server: Server = createServer(async (request, response) => {
    const started = Date.now();
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(body);
      options.logger.info("http", {
        method: request.method,
        path: request.url,
        status,
        ms: Date.now() - started,
      });
    };
    try {
      const url = parseTarget(request.url);
      if (!url) {
        send(400, JSON.stringify({ message: "Bad Request: the request target is not a valid path" }));
        return;
      }
      // The issuer's own endpoints (Cognito's on AWS), outside the routes of stacks/.
      if (url.pathname === TOKEN_PATH) {
        const body = (await readBody(request)) ?? Buffer.alloc(MAX_BODY_BYTES);
        const answer = await answerTokenRequest(request, body, options);
        send(answer.status, JSON.stringify(answer.body), answer.headers);
        return;
      }
      if (url.pathname === "/.well-known/openid-configuration" && request.method === "GET") {
        const base = `http://${request.headers.host ?? `${options.host}:${options.port}`}`;
        send(200, JSON.stringify(openidConfiguration(base)));
        return;
      }
      const candidates = compiled.filter((c) => c.regex.test(url.pathname));
      const match = candidates.find((c) => c.route.method === request.method);
      if (!match) {
        send(
          candidates.length ? 405 : 404,
          JSON.stringify({ message: candidates.length ? "Method Not Allowed" : "Not Found" }),
        );
        return;
      }
      const pathParameters = decodePathParameters(match, url.pathname);
      if (!pathParameters) {
        send(
          400,
          JSON.stringify({
            message:
              "Bad Request: the path has a malformed percent-escape (use %XX with two hex digits, UTF-8)",
          }),
        );
        return;
      }
      let claims: Record<string, string | number | boolean | string[]> = {};
      if (!match.route.public) {
        const header = request.headers.authorization ?? "";
        const token = /^Bearer (.+)$/i.exec(header)?.[1];
        try {
          if (!token) throw new Error("missing");
          claims = (await options.issuer.verify(token)) as typeof claims;
        } catch {
          send(401, JSON.stringify({ message: "Unauthorized" }), { "www-authenticate": "Bearer" });
          return;
        }
      }
      const body = await readBody(request);
      if (!body) {
        send(413, JSON.stringify({ message: "Request Entity Too Large: the body may be at most 10 MB" }));
        return;
      }
      const contentType = request.headers["content-type"];
      const text = isText(contentType);
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
      );
      const now = new Date();
      const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
        version: "2.0",
        routeKey: match.routeKey,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
        pathParameters: match.names.length ? pathParameters : undefined,
        requestContext: {
          accountId: LOCAL_ACCOUNT,
          apiId: "local",
          domainName: headers.host ?? "localhost",
          domainPrefix: "local",
          http: {
            method: request.method ?? "GET",
            path: url.pathname,
            protocol: `HTTP/${request.httpVersion}`,
            sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
            userAgent: headers["user-agent"] ?? "",
          },
          requestId: randomUUID(),
          routeKey: match.routeKey,
          stage: "$default",
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          authorizer: { principalId: "", integrationLatency: 0, jwt: { claims, scopes: [] } },
        },
        body: body.length ? (text ? body.toString("utf8") : body.toString("base64")) : undefined,
        isBase64Encoded: body.length > 0 && !text,
      };
      const result = await options.lambda.invoke(match.route.function, event);
      if (!result.ok) {
        options.logger.error("route handler failed", {
          route: match.routeKey,
          errorType: result.errorType,
          error: result.errorMessage,
        });
        send(500, JSON.stringify({ message: "Internal Server Error" }));
        return;
      }
      const out = (result.payload ?? {}) as {
        statusCode?: number;
        headers?: Record<string, string>;
        body?: string;
        isBase64Encoded?: boolean;
      };
      if (typeof out.statusCode !== "number") {
        send(200, JSON.stringify(result.payload));
        return;
      }
      const payload = out.isBase64Encoded ? Buffer.from(out.body ?? "", "base64") : (out.body ?? "");
      response.writeHead(out.statusCode, out.headers ?? {});
      response.end(payload);
      options.logger.info("http", {
        method: request.method,
        path: url.pathname,
        status: out.statusCode,
        ms: Date.now() - started,
      });
    } catch (error) {
      options.logger.error("http server error", { error: String((error as Error)?.stack ?? error) });
      if (!response.headersSent) send(500, JSON.stringify({ message: "Internal Server Error" }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
