import { transformedInput } from "./delivery-record.js";
import type { Destinations } from "./destinations.js";
import { sleep } from "./limit.js";
import type { DeliveryError, DeliveryRecord } from "./types.js";

/** How long EventBridge waits for an API destination to answer. */
export const HTTP_TARGET_TIMEOUT_MS = 5_000;

/** The answers EventBridge retries (as AWS documents for API destinations); other 4xx are final. */
export const isRetryableStatus = (status: number) =>
  status === 401 || status === 407 || status === 409 || status === 429 || status >= 500;

const withoutBody = new Set(["GET", "HEAD"]);

/** The endpoint with each `*` replaced, in order, by the target's path parameter values. */
export const endpointUrl = (endpoint: string, pathValues: readonly string[] = []): string => {
  let index = 0;
  return endpoint.replace(/\*/g, () => encodeURIComponent(pathValues[index++] ?? ""));
};

/**
 * Spaces the sends to each API destination by its InvocationRateLimitPerSecond: each send takes
 * the next free slot and waits for it (the dispatcher keeps renewing the delivery's lease).
 */
export const createRateLimiter = (now: () => number = Date.now) => {
  const nextSlot = new Map<string, number>();
  return async (name: string, perSecond: number) => {
    const at = now();
    const slot = Math.max(at, nextSlot.get(name) ?? 0);
    nextSlot.set(name, slot + 1000 / perSecond);
    if (slot > at) await sleep(slot - at);
  };
};

/**
 * Sends one delivery to its API destination: the method and endpoint, the connection's
 * credentials and parameters, the target's HttpParameters, the (transformed) event as a JSON
 * body. Undefined when the endpoint answered 2xx. Errors name the method and the endpoint's
 * origin and path only: query strings and headers may carry the connection's secrets.
 */
export const sendToApiDestination = async (
  destinations: Destinations,
  record: DeliveryRecord,
  options: { timeoutMs?: number; rateLimit?: (name: string, perSecond: number) => Promise<void> } = {},
): Promise<DeliveryError | undefined> => {
  const timeoutMs = options.timeoutMs ?? HTTP_TARGET_TIMEOUT_MS;
  const resolved = destinations.resolve(record.destination ?? "");
  if (!resolved) {
    return {
      type: "ResourceNotFoundException",
      message: `API destination ${record.destination} or its connection no longer exists`,
      retryable: false,
    };
  }
  const { destination, connection } = resolved;
  const url = new URL(endpointUrl(destination.endpoint, record.http?.pathParameterValues));
  for (const { key, value } of connection.query) url.searchParams.append(key, value);
  for (const [key, value] of Object.entries(record.http?.queryStringParameters ?? {}))
    url.searchParams.append(key, value);
  const headers = new Headers({
    "content-type": "application/json; charset=utf-8",
    "user-agent": "Amazon/EventBridge/ApiDestinations",
  });
  for (const [key, value] of Object.entries(record.http?.headerParameters ?? {})) headers.set(key, value);
  for (const { key, value } of connection.headers) headers.set(key, value);
  if (connection.apiKey) headers.set(connection.apiKey.name, connection.apiKey.value);
  if (connection.basic) {
    const token = Buffer.from(`${connection.basic.username}:${connection.basic.password}`).toString("base64");
    headers.set("authorization", `Basic ${token}`);
  }
  const where = `${destination.method} ${url.origin}${url.pathname}`;
  await options.rateLimit?.(destination.name, destination.rateLimitPerSecond);
  try {
    const response = await fetch(url, {
      method: destination.method,
      headers,
      ...(withoutBody.has(destination.method) ? {} : { body: transformedInput(record) ?? record.event }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return undefined;
    return {
      type: "ApiDestinationError",
      message: `${where} answered HTTP ${response.status}`,
      retryable: isRetryableStatus(response.status),
    };
  } catch (error) {
    const failure = error as { name?: string; message?: string };
    const timedOut = failure?.name === "TimeoutError";
    return {
      type: timedOut ? "ApiDestinationTimeout" : "ApiDestinationUnreachable",
      message: timedOut
        ? `${where} did not answer within ${timeoutMs} ms`
        : `${where} failed: ${failure?.message ?? String(error)}`,
      retryable: true,
    };
  }
};
