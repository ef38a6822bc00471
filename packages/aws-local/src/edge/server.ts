import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../logger.js";
import { AwsServiceError } from "./errors.js";

/** One AWS service spoken in the JSON 1.0/1.1 protocol: `X-Amz-Target: <prefix>.<Operation>`. */
export interface JsonService {
  name: string;
  targetPrefix: string;
  operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>>;
}

/** A service spoken in REST-JSON (Lambda): the handler answers or returns false to pass. */
export type RestHandler = (
  request: IncomingMessage,
  body: Buffer,
  response: ServerResponse,
) => Promise<boolean>;

export interface EdgeServer {
  url: string;
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });

const sendJson = (response: ServerResponse, status: number, body: unknown, contentType: string) => {
  const payload = JSON.stringify(body ?? {});
  response.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(payload) });
  response.end(payload);
};

export const startEdgeServer = async (options: {
  host: string;
  port: number;
  services: JsonService[];
  rest: RestHandler[];
  logger: Logger;
}): Promise<EdgeServer> => {
  const byPrefix = new Map(options.services.map((s) => [s.targetPrefix, s]));
  const server: Server = createServer(async (request, response) => {
    const contentType =
      (request.headers["content-type"] as string | undefined) ?? "application/x-amz-json-1.1";
    try {
      const body = await readBody(request);
      const target = request.headers["x-amz-target"];
      if (typeof target === "string") {
        const dot = target.lastIndexOf(".");
        const service = byPrefix.get(target.slice(0, dot));
        const operationName = target.slice(dot + 1);
        const operation = service?.operations[operationName];
        if (!service || !operation) {
          throw new AwsServiceError(
            "UnknownOperationException",
            `Operation ${target} is not supported locally`,
          );
        }
        let input: Record<string, unknown>;
        try {
          input = body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
        } catch {
          throw new AwsServiceError("SerializationException", "The request body is not valid JSON");
        }
        const output = await operation(input);
        options.logger.debug("edge call", { service: service.name, operation: operationName });
        sendJson(response, 200, output, contentType);
        return;
      }
      for (const handler of options.rest) if (await handler(request, body, response)) return;
      throw new AwsServiceError(
        "UnknownOperationException",
        `No local service answers ${request.method} ${request.url}`,
        404,
      );
    } catch (error) {
      if (error instanceof AwsServiceError) {
        response.setHeader("x-amzn-errortype", error.type);
        sendJson(response, error.statusCode, { __type: error.type, message: error.message }, contentType);
        return;
      }
      options.logger.error("edge internal error", { error: String((error as Error)?.stack ?? error) });
      sendJson(
        response,
        500,
        { __type: "InternalFailure", message: "Internal failure in the local edge" },
        contentType,
      );
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
