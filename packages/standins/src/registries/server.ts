import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "aws-local";
import { z } from "zod";
import { faultSchema, paperSchema, type RegistryService, repositorySchema } from "./admin.js";
import {
  arxivError,
  arxivFeed,
  crossrefWork,
  DATACITE_NOT_FOUND,
  dataciteDoi,
  githubCommit,
  githubLicense,
  githubNotFound,
  githubRepository,
} from "./render.js";
import { arxivKey, doiKey, type RegistriesWorld } from "./world.js";

const MAX_BODY_BYTES = 100_000;

interface Answer {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, "the body is larger than 100 kB"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });

const parseBody = <T>(schema: z.ZodType<T>, raw: Buffer): T => {
  let json: unknown;
  try {
    json = raw.length ? JSON.parse(raw.toString("utf8")) : {};
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, z.prettifyError(parsed.error));
  return parsed.data;
};

const send = (response: ServerResponse, answer: Answer) => {
  if (response.headersSent || response.destroyed) return;
  const contentType = answer.contentType ?? "application/json; charset=utf-8";
  const payload = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(payload),
    ...answer.headers,
  });
  response.end(payload);
};

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `"${segment}" is not valid URL encoding`);
  }
};

const delay = (ms: number, stopping: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
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

/** The answer each service gives when it is rate-limited or down, in its own manner. */
const faultAnswer = (
  service: RegistryService,
  status: 429 | 403 | 503,
  retryAfterSeconds?: number,
): Answer => {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  if (service === "github") {
    if (status === 403 || status === 429) {
      headers["x-ratelimit-limit"] = "60";
      headers["x-ratelimit-remaining"] = "0";
      headers["x-ratelimit-reset"] = String(Math.floor(Date.now() / 1000) + (retryAfterSeconds ?? 3600));
    }
    const message = status === 503 ? "Service Unavailable" : "API rate limit exceeded for 127.0.0.1.";
    return {
      status,
      headers,
      body: {
        message,
        documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
      },
    };
  }
  const reason = status === 503 ? "Service Unavailable" : status === 429 ? "Too Many Requests" : "Forbidden";
  return { status, headers, body: reason, contentType: "text/plain; charset=utf-8" };
};

export interface RegistriesServer {
  url: string;
  close(): Promise<void>;
}

/**
 * One HTTP server standing in for four services under their own prefixes (/crossref,
 * /datacite, /arxiv, /github: each prefix is that service's base URL), plus /_admin.
 */
export const startRegistriesServer = async (params: {
  host: string;
  port: number;
  world: RegistriesWorld;
  logger?: Logger;
}): Promise<RegistriesServer> => {
  const { world } = params;
  const stopping = new AbortController();
  let baseUrl = "";

  const service = (url: URL): Answer | undefined => {
    const segments = url.pathname.split("/").slice(1);
    const [prefix, ...rest] = segments;
    const api = `${baseUrl}/github`;
    if (prefix === "crossref" && rest[0] === "works" && rest.length >= 2) {
      const doi = doiKey(rest.slice(1).map(decode).join("/"));
      const paper = world.paper("crossref", doi);
      return paper
        ? { status: 200, body: crossrefWork(doi, paper) }
        : { status: 404, body: "Resource not found.", contentType: "text/plain" };
    }
    if (prefix === "datacite" && rest[0] === "dois" && rest.length >= 2) {
      const doi = doiKey(rest.slice(1).map(decode).join("/"));
      const paper = world.paper("datacite", doi);
      return paper
        ? { status: 200, body: dataciteDoi(doi, paper), contentType: "application/vnd.api+json" }
        : { status: 404, body: DATACITE_NOT_FOUND, contentType: "application/vnd.api+json" };
    }
    if (prefix === "arxiv" && rest.join("/") === "api/query") {
      const raw = (url.searchParams.get("id_list") ?? "").split(",")[0]?.trim() ?? "";
      const atom = "application/atom+xml; charset=utf-8";
      const query = url.search.slice(1);
      if (!/^([0-9]{4}\.[0-9]{4,5}|[a-z-]+(\.[A-Z]{2})?\/[0-9]{7})(v[0-9]+)?$/.test(raw))
        return { status: 400, body: arxivError(query, raw), contentType: atom };
      const id = arxivKey(raw);
      return { status: 200, body: arxivFeed(query, id, world.paper("arxiv", id)), contentType: atom };
    }
    if (prefix === "github" && rest[0] === "repos" && rest.length >= 3) {
      const [owner = "", name = ""] = rest.slice(1, 3).map(decode);
      const tail = rest.slice(3);
      const repo = world.repository(owner, name);
      const headers = {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-github-api-version-selected": "2022-11-28",
      };
      if (tail.length === 0)
        return repo
          ? { status: 200, headers, body: githubRepository(api, repo) }
          : { status: 404, headers, body: githubNotFound("repos/repos#get-a-repository") };
      if (tail.length === 1 && tail[0] === "license")
        return repo?.spdxId
          ? { status: 200, headers, body: githubLicense(api, repo, repo.spdxId) }
          : {
              status: 404,
              headers,
              body: githubNotFound("licenses/licenses#get-the-license-for-a-repository"),
            };
      if (tail[0] === "commits" && tail.length >= 2) {
        if (!repo) return { status: 404, headers, body: githubNotFound("commits/commits#get-a-commit") };
        const ref = tail.slice(1).map(decode).join("/");
        return ref === repo.defaultBranch || ref === repo.commitSha
          ? { status: 200, headers, body: githubCommit(api, repo) }
          : {
              status: 422,
              headers,
              body: {
                message: `No commit found for SHA: ${ref}`,
                documentation_url: "https://docs.github.com/rest/commits/commits#get-a-commit",
                status: "422",
              },
            };
      }
    }
    return undefined;
  };

  const admin = (method: string, path: string, raw: Buffer): Answer | undefined => {
    if (path === "/_admin" && method === "DELETE") {
      world.reset();
      return { status: 200, body: { reset: true } };
    }
    if (path === "/_admin/papers" && method === "PUT")
      return { status: 200, body: world.putPaper(parseBody(paperSchema, raw)) };
    if (path === "/_admin/repositories" && method === "PUT")
      return { status: 200, body: world.putRepository(parseBody(repositorySchema, raw)) };
    const repository = /^\/_admin\/repositories\/([^/]+)\/([^/]+)$/.exec(path);
    if (repository && method === "DELETE") {
      const [owner, name] = [decode(repository[1] ?? ""), decode(repository[2] ?? "")];
      return { status: 200, body: { deleted: world.deleteRepository(owner, name) } };
    }
    if (path === "/_admin/faults" && method === "PUT")
      return { status: 200, body: world.putFault(parseBody(faultSchema, raw)) };
    if (path === "/_admin/faults" && method === "DELETE") {
      world.clearFaults();
      return { status: 200, body: { cleared: true } };
    }
    if (path === "/_admin/requests" && method === "GET") return { status: 200, body: world.requests() };
    if (path === "/_admin/requests" && method === "DELETE") {
      world.resetRequests();
      return { status: 200, body: world.requests() };
    }
    return undefined;
  };

  const route = async (request: IncomingMessage): Promise<Answer> => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const method = request.method ?? "GET";
    const raw = await readBody(request);
    if (url.pathname === "/health" && method === "GET") return { status: 200, body: { ok: true } };
    if (url.pathname.startsWith("/_admin")) {
      const answer = admin(method, url.pathname, raw);
      if (answer) return answer;
      throw new HttpError(404, `no admin route ${method} ${url.pathname}`);
    }
    const name = url.pathname.split("/")[1] as RegistryService;
    if (!["crossref", "datacite", "arxiv", "github"].includes(name))
      throw new HttpError(
        404,
        `no route ${method} ${url.pathname} (services: /crossref, /datacite, /arxiv, /github)`,
      );
    const fault = world.receive(name);
    if (fault && "status" in fault) return faultAnswer(name, fault.status, fault.retryAfterSeconds);
    if (fault && "timeoutMs" in fault) await delay(fault.timeoutMs, stopping.signal);
    if (method !== "GET") throw new HttpError(405, `${url.pathname} takes GET`);
    return (
      service(url) ?? {
        status: 404,
        body:
          name === "github"
            ? { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" }
            : "Resource not found.",
        ...(name === "github" ? {} : { contentType: "text/plain" }),
      }
    );
  };

  const server = createServer((request, response) => {
    route(request)
      .then((answer) => send(response, answer))
      .catch((error: unknown) => {
        if (error instanceof HttpError)
          return send(response, { status: error.status, body: { error: error.reason } });
        if (stopping.signal.aborted) return void response.destroy();
        params.logger?.error("registries stand-in internal error", {
          error: String((error as Error)?.stack ?? error),
        });
        send(response, { status: 500, body: { error: "internal failure in the registries stand-in" } });
      });
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
  baseUrl = `http://${params.host}:${port}`;

  return {
    url: baseUrl,
    async close() {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
};
