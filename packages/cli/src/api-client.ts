import { CliError } from "./errors.js";

// A plain fetch client of the HTTP API; the API is the only judge of input, so its 4xx answers
// reach the user exactly as written.

export interface FieldIssue {
  field: string;
  message: string;
}

/** A non-2xx answer of the API, with its own message and field issues. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly apiMessage: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super([`API ${status}: ${apiMessage}`, ...issues.map((i) => `  ${i.field}: ${i.message}`)].join("\n"));
  }
}

export interface ApiClient {
  url: string;
  request<T = unknown>(
    method: string,
    path: string,
    options?: {
      query?: Record<string, string | undefined>;
      body?: unknown;
      headers?: Record<string, string>;
      /** Answer the body as text, as it came (a CSV report), instead of parsing JSON. */
      raw?: boolean;
    },
  ): Promise<T>;
}

export const apiClient = (options: { url: string; token: string }): ApiClient => {
  const base = options.url.replace(/\/+$/, "");
  return {
    url: base,
    async request(method, path, { query = {}, body, headers = {}, raw = false } = {}) {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
      const target = `${base}${path}${search.size ? `?${search}` : ""}`;
      let response: Response;
      try {
        response = await fetch(target, {
          method,
          headers: {
            authorization: `Bearer ${options.token}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new CliError(
          `cannot reach the API at ${base} (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}): is the stack running, and is --url (ALLOT_API_URL) right?`,
        );
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (!response.ok) {
        const answer = (parsed ?? {}) as { message?: unknown; issues?: FieldIssue[]; requestId?: unknown };
        const message = typeof answer.message === "string" ? answer.message : text || response.statusText;
        throw new ApiError(
          response.status,
          typeof answer.requestId === "string" ? `${message} (request id ${answer.requestId})` : message,
          Array.isArray(answer.issues) ? answer.issues : [],
        );
      }
      return (raw ? text : parsed) as never;
    },
  };
};
