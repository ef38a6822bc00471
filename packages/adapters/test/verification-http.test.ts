import { VerificationUnavailable } from "@allot/core/output";
import { describe, expect, it } from "vitest";
import { httpClient, requestedWaitSeconds, transientStatus } from "../src/verification/http.js";

// The retry policy over plain Responses: which answers are "not now", how long it waits, and
// when it gives up and says when to come back.

const now = Date.parse("2026-11-30T12:00:00Z");
const headers = (h: Record<string, string>) => new Headers(h);

describe("which answers are transient", () => {
  it.each([
    [429, {}, "rate limited (429)"],
    [500, {}, "HTTP 500"],
    [502, {}, "HTTP 502"],
    [503, {}, "HTTP 503"],
    [403, { "x-ratelimit-remaining": "0" }, "rate limited (403)"],
    [403, { "retry-after": "30" }, "rate limited (403)"],
  ])("%i %j is transient", (status, h, reason) => {
    expect(transientStatus(status, headers(h))).toBe(reason);
  });

  it.each([
    [200, {}],
    [404, {}],
    [400, {}],
    [401, {}],
    // A 403 without rate-limit headers is a refusal (a blocked repository), not a wait.
    [403, { "x-ratelimit-remaining": "42" }],
  ])("%i %j is the service's answer", (status, h) => {
    expect(transientStatus(status, headers(h))).toBeUndefined();
  });
});

describe("how long a service asks to wait", () => {
  it("Retry-After in seconds", () => {
    expect(requestedWaitSeconds(headers({ "retry-after": "7" }), now)).toBe(7);
  });
  it("Retry-After as an HTTP date", () => {
    expect(requestedWaitSeconds(headers({ "retry-after": "Mon, 30 Nov 2026 12:01:30 GMT" }), now)).toBe(90);
  });
  it("GitHub's x-ratelimit-reset when the limit is used up", () => {
    const reset = String(now / 1000 + 600);
    expect(
      requestedWaitSeconds(headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), now),
    ).toBe(600);
    expect(
      requestedWaitSeconds(headers({ "x-ratelimit-remaining": "12", "x-ratelimit-reset": reset }), now),
    ).toBeUndefined();
  });
  it("nothing when the service does not say", () => {
    expect(requestedWaitSeconds(headers({}), now)).toBeUndefined();
  });
});

const scripted = (...answers: Array<Response | Error>) => {
  const calls: string[] = [];
  const fetch = (async (url: string) => {
    calls.push(url);
    const next = answers.shift();
    if (!next) throw new Error("no more answers scripted");
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
};

describe("the retrying GET", () => {
  const policy = { timeoutMs: 1_000, maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 5_000, budgetMs: 60_000 };

  it("waits what Retry-After asks, then returns the answer", async () => {
    const { fetch, calls } = scripted(
      new Response("slow down", { status: 429, headers: { "retry-after": "2" } }),
      new Response("{}", { status: 200 }),
    );
    const waits: number[] = [];
    const get = httpClient({
      service: "crossref",
      policy,
      fetch,
      sleep: async (ms) => void waits.push(ms),
      now: () => now,
    });
    expect((await get("http://x/works/1")).status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(waits).toEqual([2_000]);
  });

  it("backs off with jitter below the cap when the service names no wait", async () => {
    const { fetch } = scripted(
      new Response("", { status: 503 }),
      Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }),
      new Response("{}", { status: 200 }),
    );
    const waits: number[] = [];
    const get = httpClient({ service: "arxiv", policy, fetch, sleep: async (ms) => void waits.push(ms) });
    expect((await get("http://x")).status).toBe(200);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThan(20);
    expect(waits[1]).toBeLessThan(40);
  });

  it("gives up after its attempts with VerificationUnavailable", async () => {
    const { fetch, calls } = scripted(
      new Response("", { status: 503 }),
      new Response("", { status: 503 }),
      new Response("", { status: 503, headers: { "retry-after": "3" } }),
    );
    const get = httpClient({ service: "datacite", policy, fetch, sleep: async () => {} });
    const error = await get("http://x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerificationUnavailable);
    expect(error).toMatchObject({ service: "datacite", retryAfterSeconds: 3 });
    expect(calls).toHaveLength(3);
  });

  it("does not sit through a wait longer than its budget: it says when to come back", async () => {
    const reset = String(now / 1000 + 3_600);
    const { fetch, calls } = scripted(
      new Response("{}", {
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      }),
    );
    const get = httpClient({ service: "github", policy, fetch, sleep: async () => {}, now: () => now });
    await expect(get("http://x")).rejects.toMatchObject({
      name: "VerificationUnavailable",
      retryAfterSeconds: 3_600,
    });
    expect(calls).toHaveLength(1);
  });

  it("a timeout is transient", async () => {
    const { fetch } = scripted(
      Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" }),
      Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" }),
      Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" }),
    );
    const get = httpClient({ service: "github", policy, fetch, sleep: async () => {} });
    await expect(get("http://x")).rejects.toThrow("github did not answer: no answer within 1000 ms");
  });

  it("returns 404 and other final answers at once", async () => {
    const { fetch, calls } = scripted(new Response("Resource not found.", { status: 404 }));
    const get = httpClient({ service: "crossref", policy, fetch, sleep: async () => {} });
    expect((await get("http://x")).status).toBe(404);
    expect(calls).toHaveLength(1);
  });

  it("never waits or tries past the lookup's deadline", async () => {
    let clock = now;
    const { fetch, calls } = scripted(
      new Response("", { status: 503, headers: { "retry-after": "2" } }),
      new Response("", { status: 503, headers: { "retry-after": "2" } }),
      new Response("{}", { status: 200 }),
    );
    const get = httpClient({
      service: "crossref",
      policy,
      fetch,
      sleep: async (ms) => {
        clock += ms;
      },
      now: () => clock,
    });
    // 3 s left: one wait of 2 s fits, a second would end past the deadline.
    const error = await get("http://x", {}, now + 3_000).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "VerificationUnavailable", retryAfterSeconds: 2 });
    expect(calls).toHaveLength(2);
    expect(clock - now).toBe(2_000);
  });

  it("gives each attempt only the time left", async () => {
    const seen: number[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      seen.push(init.signal ? 1 : 0);
      throw Object.assign(new Error("timeout"), { name: "TimeoutError" });
    }) as unknown as typeof globalThis.fetch;
    const get = httpClient({ service: "github", policy, fetch, sleep: async () => {}, now: () => now });
    await expect(get("http://x", {}, now + 250)).rejects.toThrow("no answer within 250 ms");
    await expect(get("http://x", {}, now)).rejects.toThrow("no time left in the lookup's budget");
  });
});
