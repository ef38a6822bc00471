import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  AMIE_PREFIX,
  amiePaths,
  type ErrorBody,
  informTransactionCompleteSchema,
  modifyProjectSchema,
  projectRequestSchema,
  requestProjectInactivateSchema,
  requestProjectReactivateSchema,
  requestProjectSuspendSchema,
} from "@allot/adapters/provider/protocol";
import { SIGNATURE_HEADER, verifySignature } from "@allot/adapters/provider/signature";
import type { Logger } from "aws-local";
import { z } from "zod";
import { type FaultOperation, type Faults, faultSettingsSchema } from "./faults.js";
import { AmieError, type StandInService } from "./service.js";

const MAX_BODY_BYTES = 1_000_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.reason);
  }
}

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, { error: "invalid", reason: "the body is larger than 1 MB" }));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });

const sendJson = (response: ServerResponse, status: number, body: unknown) => {
  if (response.headersSent || response.destroyed) return;
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
  });
  response.end(payload);
};

const parseBody = <T>(schema: z.ZodType<T>, raw: Buffer): T => {
  let json: unknown;
  try {
    json = raw.length ? JSON.parse(raw.toString("utf8")) : {};
  } catch {
    throw new HttpError(400, { error: "invalid", reason: "the body is not JSON" });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, { error: "invalid", reason: z.prettifyError(parsed.error) });
  return parsed.data;
};

/** Resolves after `ms`, or rejects as soon as the stand-in is stopping. */
const delay = (ms: number, stopping: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (ms <= 0) return resolve();
    if (stopping.aborted) return reject(new Error("stopping"));
    const timer = setTimeout(() => {
      stopping.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(new Error("stopping"));
    }
    stopping.addEventListener("abort", onAbort, { once: true });
  });

interface AmieRoute {
  /**
   * Validates the body and returns the operation it is (for faults; one path may carry two,
   * told apart by the body) and the work to do once faults and latency have passed.
   */
  prepare(raw: Buffer): {
    operation: FaultOperation;
    work: (receivedAt: number) => Promise<{ status: number; body: unknown }>;
  };
}

const amieRoute = <T>(
  operation: FaultOperation | ((input: T) => FaultOperation),
  schema: z.ZodType<T>,
  status: number,
  run: (input: T, receivedAt: number) => Promise<unknown>,
): AmieRoute => ({
  prepare(raw) {
    const input = parseBody(schema, raw);
    return {
      operation: typeof operation === "function" ? operation(input) : operation,
      work: async (receivedAt) => ({ status, body: await run(input, receivedAt) }),
    };
  },
});

export interface StandInServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The provider's HTTP face: the AMIE routes (signed POSTs, faults and latency applied), reads
 * of the projects, and the fault controls. Reads and /admin are unsigned: they are the test
 * harness's window, not part of the protocol Allot speaks.
 */
export const startStandInServer = async (params: {
  host: string;
  port: number;
  secret: string;
  service: StandInService;
  faults: Faults;
  logger: Logger;
}): Promise<StandInServer> => {
  const { service, faults, logger } = params;
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const amie = new Map<string, AmieRoute>(
    Object.entries({
      [amiePaths.requestProjectCreate]: amieRoute(
        "requestProject",
        projectRequestSchema,
        202,
        (request, at) => service.requestProject(request, at),
      ),
      [amiePaths.informTransactionComplete]: amieRoute(
        "completeTransaction",
        informTransactionCompleteSchema,
        200,
        ({ awardId }) => service.completeTransaction(awardId),
      ),
      [amiePaths.requestProjectInactivate]: amieRoute(
        ({ reversible }) => (reversible ? "inactivate" : "deprovision"),
        requestProjectInactivateSchema,
        200,
        ({ awardId, reason, reversible }, at) => service.inactivate(awardId, reason, at, reversible),
      ),
      [amiePaths.requestProjectSuspend]: amieRoute(
        "setAccess",
        requestProjectSuspendSchema,
        200,
        ({ awardId }) => service.suspend(awardId),
      ),
      [amiePaths.requestProjectReactivate]: amieRoute(
        ({ lift }) => (lift === "inactivation" ? "reactivate" : "setAccess"),
        requestProjectReactivateSchema,
        200,
        ({ awardId, lift }) =>
          lift === "inactivation" ? service.reactivateInactive(awardId) : service.reactivate(awardId),
      ),
      [amiePaths.modifyProject]: amieRoute("modifyProject", modifyProjectSchema, 200, (modification) =>
        service.modify(modification),
      ),
    }),
  );

  const handleAmie = async (route: AmieRoute, request: IncomingMessage, raw: Buffer) => {
    const receivedAt = Date.now();
    const header = request.headers[SIGNATURE_HEADER];
    if (
      !verifySignature(params.secret, raw, typeof header === "string" ? header : undefined, receivedAt / 1000)
    ) {
      throw new HttpError(401, {
        error: "unauthorized",
        reason: `missing, stale or invalid ${SIGNATURE_HEADER}`,
      });
    }
    // Validation comes before the injected faults, so that a fault never hides a malformed request.
    const { operation, work } = route.prepare(raw);
    const fault = faults.take(operation);
    if (fault === "transient")
      throw new HttpError(503, {
        error: "unavailable",
        reason: "injected fault: the provider is unavailable",
      });
    if (fault === "permanent")
      throw new HttpError(422, {
        error: "rejected",
        reason: "injected fault: the provider refuses the request",
      });
    await delay(faults.latencyMs, stopping.signal);
    return work(receivedAt);
  };

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const path = url.pathname;
    const method = request.method ?? "GET";
    const raw = await readBody(request);

    const operation = amie.get(path);
    if (operation) {
      if (method !== "POST") throw new HttpError(405, { error: "invalid", reason: `${path} takes POST` });
      const result = await handleAmie(operation, request, raw);
      sendJson(response, result.status, result.body);
      return;
    }
    if (method === "GET" && path === amiePaths.projects) {
      sendJson(response, 200, { projects: await service.projects() });
      return;
    }
    if (method === "GET" && path.startsWith(`${amiePaths.projects}/`)) {
      let awardId: string;
      try {
        awardId = decodeURIComponent(path.slice(amiePaths.projects.length + 1));
      } catch {
        throw new HttpError(400, { error: "invalid", reason: "the award id is not valid URL encoding" });
      }
      const project = await service.project(awardId);
      if (!project)
        throw new HttpError(404, { error: "not_found", reason: `award ${awardId} has no project` });
      sendJson(response, 200, project);
      return;
    }
    if (path === "/admin/faults") {
      if (method === "GET") return sendJson(response, 200, faults.snapshot());
      if (method === "DELETE") return sendJson(response, 200, faults.clear());
      if (method === "POST") return sendJson(response, 200, faults.set(parseBody(faultSettingsSchema, raw)));
    }
    if (method === "GET" && path === "/health") return sendJson(response, 200, { ok: true });
    throw new HttpError(404, {
      error: "not_found",
      reason: `no route ${method} ${path}${path.startsWith(AMIE_PREFIX) ? "" : ` (the protocol is under ${AMIE_PREFIX})`}`,
    });
  };

  const server = createServer((request, response) => {
    const handling = route(request, response)
      .catch((error: unknown) => {
        if (error instanceof HttpError) return sendJson(response, error.status, error.body);
        if (error instanceof AmieError)
          return sendJson(response, error.status, { error: error.code, reason: error.reason });
        if (stopping.signal.aborted) {
          response.destroy();
          return;
        }
        logger.error("provider stand-in internal error", { error: String((error as Error)?.stack ?? error) });
        sendJson(response, 500, { error: "internal", reason: "internal failure in the provider stand-in" });
      })
      .finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(params.port, params.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : params.port;

  return {
    url: `http://${params.host}:${port}`,
    async close() {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Requests past their latency are writing to the table, and whoever stops us may stop
      // DynamoDB next: let those writes land rather than fail half-way.
      await Promise.allSettled([...inFlight]);
      await closed;
    },
  };
};
