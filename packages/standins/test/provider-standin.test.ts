import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { httpComputeProvider } from "@allot/adapters/provider/http-provider";
import {
  amiePaths,
  type NotifyProjectCreate,
  notifyProjectCreateSchema,
  type ProjectView,
  projectListSchema,
  projectViewSchema,
} from "@allot/adapters/provider/protocol";
import { SIGNATURE_HEADER, signPayload, verifySignature } from "@allot/adapters/provider/signature";
import { type ProjectRequest, ProviderError } from "@allot/core/award";
import { freePort, silentLogger } from "aws-local";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestDynamo, type TestDynamo } from "../../aws-local/test/support/dynamo.js";
import { type ProviderStandIn, startProviderStandIn } from "../src/provider/index.js";

interface ReceivedNotice {
  notice: NotifyProjectCreate;
  validSignature: boolean;
  at: number;
}

/**
 * Allot's side of the answer, for tests: an HTTP endpoint on a fixed port that can answer 2xx,
 * fail, hang, or be down altogether, and that checks every signature it is sent.
 */
interface CallbackReceiver {
  url: string;
  mode: "ok" | "fail" | "hang";
  received: ReceivedNotice[];
  /** Every attempt that reached it, answered or not. */
  attempts: number;
  of(awardId: string): ReceivedNotice[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

const callbackReceiver = (port: number, secret: string): CallbackReceiver => {
  let server: Server | undefined;
  const hung = new Set<ServerResponse>();
  const receiver: CallbackReceiver = {
    url: `http://127.0.0.1:${port}/integrations/provider/notify`,
    mode: "ok",
    received: [],
    attempts: 0,
    of: (awardId) => receiver.received.filter((r) => r.notice.awardId === awardId),
    async start() {
      server = createServer((request: IncomingMessage, response: ServerResponse) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          receiver.attempts += 1;
          if (receiver.mode === "hang") {
            hung.add(response);
            return;
          }
          if (receiver.mode === "fail") {
            response.writeHead(503).end();
            return;
          }
          const raw = Buffer.concat(chunks);
          const header = request.headers[SIGNATURE_HEADER];
          const validSignature = verifySignature(
            secret,
            raw,
            typeof header === "string" ? header : undefined,
            Date.now() / 1000,
          );
          const notice = notifyProjectCreateSchema.parse(JSON.parse(raw.toString("utf8")));
          receiver.received.push({ notice, validSignature, at: Date.now() });
          response.writeHead(validSignature ? 204 : 401).end();
        });
      });
      await new Promise<void>((resolve, reject) => {
        server?.once("error", reject);
        server?.listen(port, "127.0.0.1", () => resolve());
      });
    },
    async stop() {
      const current = server;
      server = undefined;
      if (!current) return;
      for (const response of hung) response.destroy();
      hung.clear();
      current.closeAllConnections();
      await new Promise((resolve) => current.close(resolve));
    },
  };
  return receiver;
};

/** Polls until `check` holds, or fails with `what` after `timeoutMs`. */
const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const SECRET = "provider-test-secret";
// Fast retries, so that the suite sees several attempts within a second or two.
const fastCallbacks = { timeoutMs: 1_000, leaseMs: 2_000, retryBaseMs: 50, retryMaxMs: 250, idleMs: 200 };

let dynamo: TestDynamo;
let standIn: ProviderStandIn;
let receiver: CallbackReceiver;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  receiver = callbackReceiver(await freePort(), SECRET);
  await receiver.start();
  standIn = await startProviderStandIn({
    host: "127.0.0.1",
    port: 0,
    secret: SECRET,
    doc: dynamo.doc,
    logger: silentLogger,
    callbacks: fastCallbacks,
  });
});

afterAll(async () => {
  await standIn?.stop();
  await receiver?.stop();
  await dynamo?.stop();
});

afterEach(() => {
  standIn.faults.clear();
  receiver.mode = "ok";
});

const projectRequest = (awardId = `award-${randomUUID()}`, callbackUrl = receiver.url): ProjectRequest => ({
  awardId,
  grantee: {
    userId: "u-ada",
    name: "Ada Lovelace",
    email: "ada@uni.example",
    institution: "Uni of Examples",
  },
  creditsCents: 12_500_000,
  chipHours: 5_000,
  startsAt: "2025-01-01T00:00:00.000Z",
  endsAt: "2026-01-01T00:00:00.000Z",
  callbackUrl,
});

const adapter = (timeoutMs = 5_000, base = standIn.url, secret = SECRET) =>
  httpComputeProvider({ baseUrl: base, secret, timeoutMs });

/** A request as Allot sends it, with the raw status and body, to see what the adapter hides. */
const signedPost = async (path: string, body: unknown, base = standIn.url) => {
  const raw = JSON.stringify(body);
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [SIGNATURE_HEADER]: signPayload(SECRET, raw, Date.now() / 1000),
    },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const project = async (awardId: string, base = standIn.url): Promise<ProjectView | undefined> => {
  const response = await fetch(`${base}${amiePaths.project(awardId)}`);
  if (response.status === 404) return undefined;
  return projectViewSchema.parse(await response.json());
};

const projectsOf = async (awardId: string, base = standIn.url) => {
  const response = await fetch(`${base}${amiePaths.projects}`);
  return projectListSchema.parse(await response.json()).projects.filter((p) => p.awardId === awardId);
};

const providerError = async (call: Promise<unknown>): Promise<ProviderError> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
};

describe("provider stand-in: the AMIE handshake", () => {
  it("accepts a request, answers asynchronously with a signed notify_project_create, then completes", async () => {
    const request = projectRequest();
    await expect(adapter().requestProject(request)).resolves.toEqual({ accepted: true });

    await until("the answer", () => receiver.of(request.awardId).length > 0);
    const [answer] = receiver.of(request.awardId);
    expect(answer?.validSignature).toBe(true);
    expect(answer?.notice).toMatchObject({ type: "notify_project_create", awardId: request.awardId });
    expect(answer?.notice.access.loginHost).toBeTruthy();

    await until(
      "the delivery to be recorded",
      async () => (await project(request.awardId))?.transaction.state === "notified",
    );
    const provisioned = await project(request.awardId);
    expect(provisioned).toMatchObject({
      state: "provisioned",
      projectId: answer?.notice.projectId,
      request,
      callback: { status: "delivered", attempts: 1 },
    });

    await adapter().completeTransaction(request.awardId);
    await adapter().completeTransaction(request.awardId);
    expect(await project(request.awardId)).toMatchObject({
      state: "complete",
      transaction: { state: "complete" },
    });
  });

  it("answers a repeated request with the same transaction, re-sends the answer, and keeps one project", async () => {
    const request = projectRequest();
    const first = await signedPost(amiePaths.requestProjectCreate, request);
    expect(first).toMatchObject({ status: 202, body: { state: "accepted" } });
    await until("the first answer", () => receiver.of(request.awardId).length === 1);
    // Settled first: a repeat while an attempt is in flight rides on that attempt instead.
    await until(
      "the first delivery to be recorded",
      async () => (await project(request.awardId))?.callback.status === "delivered",
    );

    const again = await signedPost(amiePaths.requestProjectCreate, request);
    expect(again).toEqual(first);
    await until("the answer again", () => receiver.of(request.awardId).length === 2);
    const [one, two] = receiver.of(request.awardId);
    expect(two?.notice.projectId).toBe(one?.notice.projectId);
    expect(await projectsOf(request.awardId)).toHaveLength(1);
  });

  it("creates one project for concurrent duplicate requests", async () => {
    const request = projectRequest();
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => signedPost(amiePaths.requestProjectCreate, request)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(25).fill(202));
    expect(new Set(answers.map((a) => a.body.transactionId)).size).toBe(1);
    expect(await projectsOf(request.awardId)).toHaveLength(1);
    await until("the answer", () => receiver.of(request.awardId).length > 0);
    expect(new Set(receiver.of(request.awardId).map((r) => r.notice.projectId)).size).toBe(1);
  });

  it("fails transiently N times, then succeeds, through the adapter's errors", async () => {
    const request = projectRequest();
    standIn.faults.set({ requestProject: { transient: 2 } });
    const errors: ProviderError[] = [];
    // The workflow owns the retrying; this is its loop, by hand.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await adapter().requestProject(request);
        break;
      } catch (error) {
        if (!(error instanceof ProviderError) || error.permanent) throw error;
        errors.push(error);
      }
    }
    expect(errors.map((e) => e.name)).toEqual(["Allot.ProviderUnavailable", "Allot.ProviderUnavailable"]);
    expect(errors[0]?.message).toContain("HTTP 503");
    expect(await projectsOf(request.awardId)).toHaveLength(1);
    await until("the answer", () => receiver.of(request.awardId).length > 0);
  });

  it("rejects permanently without creating anything", async () => {
    const request = projectRequest();
    standIn.faults.set({ requestProject: { permanent: true } });
    const error = await providerError(adapter().requestProject(request));
    expect(error.permanent).toBe(true);
    expect(error.name).toBe("Allot.ProvisioningRejected");
    expect(error.message).toContain("HTTP 422");
    expect(await project(request.awardId)).toBeUndefined();

    // Compensation deprovisions what may exist: nothing, and that is not an error.
    await adapter().deprovision(request.awardId, "provisioning rejected");
    expect(await projectsOf(request.awardId)).toHaveLength(0);
  });

  it("takes the faults from /admin/faults too", async () => {
    const post = await fetch(`${standIn.url}/admin/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ requestProject: { transient: 1 }, callbackLatencyMs: 10 }),
    });
    expect(post.status).toBe(200);
    expect(await (await fetch(`${standIn.url}/admin/faults`)).json()).toEqual({
      requestProject: { transient: 1 },
      callbackLatencyMs: 10,
    });
    const bad = await fetch(`${standIn.url}/admin/faults`, { method: "POST", body: '{"latencyMs":-1}' });
    expect(bad.status).toBe(400);
    expect((await providerError(adapter().requestProject(projectRequest()))).permanent).toBe(false);
    await fetch(`${standIn.url}/admin/faults`, { method: "DELETE" });
    expect(await (await fetch(`${standIn.url}/admin/faults`)).json()).toEqual({});
  });

  it("is slow when told to: a request that outlives the adapter's timeout is transient, and still lands once", async () => {
    const request = projectRequest();
    standIn.faults.set({ latencyMs: 700 });
    const started = Date.now();
    const error = await providerError(adapter(250).requestProject(request));
    expect(error.permanent).toBe(false);
    expect(error.message).toContain("no answer within 250 ms");
    expect(Date.now() - started).toBeLessThan(650);

    // The provider did get it: like a real one, it acts on a request whose caller gave up.
    await until("the late request to land", async () => (await project(request.awardId)) !== undefined);
    standIn.faults.clear();
    await adapter().requestProject(request);
    expect(await projectsOf(request.awardId)).toHaveLength(1);
  });

  it("sends the answer only after the callback latency", async () => {
    const request = projectRequest();
    standIn.faults.set({ callbackLatencyMs: 600 });
    const accepted = Date.now();
    await adapter().requestProject(request);
    await until("the answer", () => receiver.of(request.awardId).length > 0);
    expect((receiver.of(request.awardId)[0]?.at ?? 0) - accepted).toBeGreaterThanOrEqual(600);
  });

  it("retries the answer with backoff until Allot's endpoint takes it", async () => {
    const request = projectRequest();
    receiver.mode = "fail";
    await adapter().requestProject(request);
    await until(
      "three failed attempts",
      async () => ((await project(request.awardId))?.callback.attempts ?? 0) >= 3,
    );
    expect(await project(request.awardId)).toMatchObject({
      callback: { status: expect.stringMatching(/pending|sending/), lastError: "HTTP 503" },
    });
    receiver.mode = "ok";
    await until("the answer", () => receiver.of(request.awardId).length > 0);
    await until(
      "the delivery",
      async () => (await project(request.awardId))?.callback.status === "delivered",
    );
  });
});

describe("provider stand-in: deprovisioning and access", () => {
  it("inactivates idempotently, and a missing project is not an error", async () => {
    const request = projectRequest();
    await adapter().requestProject(request);
    await until("the answer", () => receiver.of(request.awardId).length > 0);
    await adapter().deprovision(request.awardId, "revoked by staff");
    await adapter().deprovision(request.awardId, "revoked by staff");
    expect(await project(request.awardId)).toMatchObject({
      state: "inactive",
      inactiveReason: "revoked by staff",
    });
    expect(
      await signedPost(amiePaths.requestProjectInactivate, { awardId: request.awardId, reason: "x" }),
    ).toEqual({
      status: 200,
      body: { awardId: request.awardId, state: "inactive" },
    });

    const missing = `award-${randomUUID()}`;
    await adapter().deprovision(missing, "compensation");
    await adapter().deprovision(missing, "compensation");
    expect(await projectsOf(missing)).toHaveLength(0);
  });

  it("cancels an answer still owed when the project is inactivated", async () => {
    const request = projectRequest();
    standIn.faults.set({ callbackLatencyMs: 60_000 });
    await adapter().requestProject(request);
    await adapter().deprovision(request.awardId, "compensation");
    expect(await project(request.awardId)).toMatchObject({
      state: "inactive",
      callback: { status: "cancelled" },
    });
  });

  it("never lets a request that arrived before the inactivation bring the project back", async () => {
    const request = projectRequest();
    standIn.faults.set({ latencyMs: 1_000 });
    const late = adapter()
      .requestProject(request)
      .then(
        () => "accepted",
        (e: ProviderError) => e,
      );
    // Long enough for the request to reach the stand-in and sit in its latency.
    await new Promise((r) => setTimeout(r, 300));
    standIn.faults.clear();
    await adapter().deprovision(request.awardId, "compensation");
    const outcome = await late;
    expect(outcome).toBeInstanceOf(ProviderError);
    expect((outcome as ProviderError).permanent).toBe(true);
    expect((outcome as ProviderError).message).toContain("before the award's project was inactivated");
    expect(await projectsOf(request.awardId)).toHaveLength(0);

    // A request sent after the inactivation is a re-drive: it provisions.
    await adapter().requestProject(request);
    expect(await projectsOf(request.awardId)).toHaveLength(1);
    await until("the answer", () => receiver.of(request.awardId).length > 0);
  });

  it("re-provisions an inactivated project on a new request, keeping its project id", async () => {
    const request = projectRequest();
    await adapter().requestProject(request);
    await until("the answer", () => receiver.of(request.awardId).length === 1);
    await adapter().deprovision(request.awardId, "compensation");
    await new Promise((r) => setTimeout(r, 5));
    await adapter().requestProject(request);
    await until("the second answer", () => receiver.of(request.awardId).length === 2);
    const [first, second] = receiver.of(request.awardId);
    expect(second?.notice.projectId).toBe(first?.notice.projectId);
    // The receiver has the answer a moment before the stand-in records that it was taken.
    await until(
      "the second delivery to be recorded",
      async () => (await project(request.awardId))?.transaction.state === "notified",
    );
    expect(await project(request.awardId)).toMatchObject({ state: "provisioned", callback: { attempts: 1 } });
    expect(await projectsOf(request.awardId)).toHaveLength(1);
  });

  it("suspends and resumes access", async () => {
    const request = projectRequest();
    await adapter().requestProject(request);
    await adapter().setAccess(request.awardId, "suspended");
    await adapter().setAccess(request.awardId, "suspended");
    expect(await project(request.awardId)).toMatchObject({ state: "suspended" });
    await adapter().completeTransaction(request.awardId);
    expect(await project(request.awardId)).toMatchObject({
      state: "suspended",
      transaction: { state: "complete" },
    });
    await adapter().setAccess(request.awardId, "active");
    expect(await project(request.awardId)).toMatchObject({ state: "complete" });

    const missing = await providerError(adapter().setAccess(`award-${randomUUID()}`, "suspended"));
    expect(missing.permanent).toBe(true);
    expect(missing.message).toContain("HTTP 404");
    await adapter().deprovision(request.awardId, "revoked");
    const inactive = await providerError(adapter().setAccess(request.awardId, "active"));
    expect(inactive.permanent).toBe(true);
    expect(inactive.message).toContain("HTTP 409");
  });

  it("inactivates a project whose credits are used up and reactivates it, each idempotent", async () => {
    const request = projectRequest();
    await adapter().requestProject(request);
    await adapter().completeTransaction(request.awardId);
    await adapter().inactivate(request.awardId, "the award's credits are used up");
    await adapter().inactivate(request.awardId, "the award's credits are used up");
    expect(await project(request.awardId)).toMatchObject({
      state: "inactive",
      inactiveReason: "the award's credits are used up",
    });
    await adapter().reactivate(request.awardId);
    await adapter().reactivate(request.awardId);
    expect(await project(request.awardId)).toMatchObject({ state: "complete" });
    expect((await project(request.awardId))?.inactivatedAt).toBeUndefined();
    // A staff suspension under the inactivation is kept: reactivation returns the project to it.
    await adapter().setAccess(request.awardId, "suspended");
    await adapter().inactivate(request.awardId, "used up again");
    await adapter().reactivate(request.awardId);
    expect(await project(request.awardId)).toMatchObject({ state: "suspended" });

    // Removal for good (revocation) wins over an inactivation: no reactivation after it.
    await adapter().inactivate(request.awardId, "used up once more");
    await adapter().deprovision(request.awardId, "revoked");
    const removed = await providerError(adapter().reactivate(request.awardId));
    expect(removed.permanent).toBe(true);
    expect(removed.message).toContain("HTTP 409");
    expect(await project(request.awardId)).toMatchObject({ state: "inactive", inactiveReason: "revoked" });

    const missing = await providerError(adapter().inactivate(`award-${randomUUID()}`, "used up"));
    expect(missing.message).toContain("HTTP 404");
  });

  it("fails inactivations and reactivations as injected, apart from deprovision and access", async () => {
    const request = projectRequest();
    await adapter().requestProject(request);
    standIn.faults.set({ inactivate: { transient: 1 }, reactivate: { permanent: true } });
    const transient = await providerError(adapter().inactivate(request.awardId, "used up"));
    expect(transient.permanent).toBe(false);
    expect(transient.message).toContain("HTTP 503");
    await adapter().inactivate(request.awardId, "used up");
    const refused = await providerError(adapter().reactivate(request.awardId));
    expect(refused.permanent).toBe(true);
    expect(refused.message).toContain("HTTP 422");
    // Suspending and resuming take their own faults, not these.
    const other = projectRequest();
    await adapter().requestProject(other);
    await adapter().setAccess(other.awardId, "suspended");
    await adapter().setAccess(other.awardId, "active");
    standIn.faults.clear();
    await adapter().reactivate(request.awardId);
    expect(await project(request.awardId)).toMatchObject({ state: "provisioned" });
  });
});

describe("provider stand-in: modify_project (supplements and extensions)", () => {
  it("sets the allocation and end to the totals sent, idempotently, with injected faults", async () => {
    const request = projectRequest();
    await adapter().requestProject(request);
    const modification = {
      creditsCents: request.creditsCents + 50_000,
      chipHours: 1_250,
      endsAt: "2028-06-30T00:00:00.000Z",
    };
    standIn.faults.set({ modifyProject: { transient: 1 } });
    const transient = await providerError(adapter().modifyProject(request.awardId, modification));
    expect(transient.permanent).toBe(false);
    expect(transient.message).toContain("HTTP 503");
    expect((await project(request.awardId))?.request.creditsCents).toBe(request.creditsCents);

    await adapter().modifyProject(request.awardId, modification);
    const modified = await project(request.awardId);
    expect(modified?.request).toMatchObject(modification);
    expect(modified?.modifiedAt).toBeTruthy();
    // The same totals again change nothing.
    await adapter().modifyProject(request.awardId, modification);
    expect((await project(request.awardId))?.modifiedAt).toBe(modified?.modifiedAt);

    standIn.faults.set({ modifyProject: { permanent: true } });
    const refused = await providerError(adapter().modifyProject(request.awardId, modification));
    expect(refused.permanent).toBe(true);
    expect(refused.message).toContain("HTTP 422");
    standIn.faults.clear();

    const missing = await providerError(adapter().modifyProject(`award-${randomUUID()}`, modification));
    expect(missing.message).toContain("HTTP 404");
    await adapter().deprovision(request.awardId, "closed");
    const inactive = await providerError(adapter().modifyProject(request.awardId, modification));
    expect(inactive.message).toContain("HTTP 409");
  });
});

describe("provider stand-in: signatures", () => {
  it("refuses unsigned, tampered, stale and wrongly keyed requests", async () => {
    const request = projectRequest();
    const raw = JSON.stringify(request);
    const send = (header: string | undefined, body = raw) =>
      fetch(`${standIn.url}${amiePaths.requestProjectCreate}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(header ? { [SIGNATURE_HEADER]: header } : {}) },
        body,
      }).then((r) => r.status);
    const now = Date.now() / 1000;
    expect(await send(undefined)).toBe(401);
    expect(await send(signPayload(SECRET, raw, now), raw.replace("12500000", "99900000"))).toBe(401);
    expect(await send(signPayload(SECRET, raw, now - 301))).toBe(401);
    expect(await send(signPayload("not-the-secret", raw, now))).toBe(401);

    const wrong = await providerError(adapter(5_000, standIn.url, "not-the-secret").requestProject(request));
    expect(wrong.permanent).toBe(true);
    expect(wrong.message).toContain("HTTP 401");
    expect(await project(request.awardId)).toBeUndefined();
  });

  it("refuses invalid bodies with 400", async () => {
    const { status, body } = await signedPost(amiePaths.requestProjectCreate, { awardId: "x" });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid");
  });
});

describe("provider stand-in: durability", () => {
  it("delivers an answer left pending by a stopped instance from a new one on the same table", async () => {
    const tableName = `allot-provider-standin-${randomUUID().slice(0, 8)}`;
    const down = callbackReceiver(await freePort(), SECRET); // not started: connection refused
    const first = await startProviderStandIn({
      host: "127.0.0.1",
      port: 0,
      secret: SECRET,
      doc: dynamo.doc,
      tableName,
      logger: silentLogger,
      callbacks: fastCallbacks,
    });
    const request = projectRequest(undefined, down.url);
    try {
      await adapter(5_000, first.url).requestProject(request);
      await until(
        "failed attempts",
        async () => ((await project(request.awardId, first.url))?.callback.attempts ?? 0) >= 2,
      );
      expect((await project(request.awardId, first.url))?.callback.lastError).toBe("ECONNREFUSED");
    } finally {
      await first.stop();
    }

    await down.start();
    const second = await startProviderStandIn({
      host: "127.0.0.1",
      port: 0,
      secret: SECRET,
      doc: dynamo.doc,
      tableName,
      logger: silentLogger,
      callbacks: fastCallbacks,
    });
    try {
      await until("the answer from the new instance", () => down.of(request.awardId).length > 0);
      expect(down.of(request.awardId)[0]?.validSignature).toBe(true);
      await until(
        "the delivery",
        async () => (await project(request.awardId, second.url))?.callback.status === "delivered",
      );
      expect(await projectsOf(request.awardId, second.url)).toHaveLength(1);
    } finally {
      await second.stop();
      await down.stop();
    }
  });

  it("after kill -9 mid-answer, a restarted instance sends it once the dead one's lease runs out", async () => {
    const tableName = `allot-provider-standin-${randomUUID().slice(0, 8)}`;
    const hanging = callbackReceiver(await freePort(), SECRET);
    hanging.mode = "hang";
    await hanging.start();
    const port = await freePort();
    const root = resolve(import.meta.dirname, "../../..");
    let output = "";
    const child: ChildProcess = fork(join(root, "packages/standins/src/provider/main.ts"), [], {
      cwd: root,
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        ALLOT_PROVIDER_PORT: String(port),
        ALLOT_PROVIDER_SECRET: SECRET,
        ALLOT_PROVIDER_DYNAMODB_ENDPOINT: dynamo.endpoint,
        ALLOT_DYNAMODB_ACCESS_KEY: dynamo.clientConfig.credentials.accessKeyId,
        ALLOT_PROVIDER_TABLE: tableName,
        ALLOT_PROVIDER_CALLBACK_TIMEOUT_MS: "1500",
        ALLOT_PROVIDER_CALLBACK_LEASE_MS: "2500",
        ALLOT_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((ready, fail) => {
      child.on("message", (message: { ready?: boolean; url?: string }) => {
        if (message.ready && message.url) ready(message.url);
      });
      child.on("exit", (code) => fail(new Error(`stand-in exited with ${code}:\n${output}`)));
    });
    const request = projectRequest(undefined, hanging.url);
    let replacement: ProviderStandIn | undefined;
    try {
      await adapter(5_000, url).requestProject(request);
      await until("the first attempt to hang", () => hanging.attempts > 0);
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      const killedAt = Date.now();
      hanging.mode = "ok";

      replacement = await startProviderStandIn({
        host: "127.0.0.1",
        port: 0,
        secret: SECRET,
        doc: dynamo.doc,
        tableName,
        logger: silentLogger,
        callbacks: fastCallbacks,
      });
      const left = await project(request.awardId, replacement.url);
      expect(left?.callback.status).toBe("sending");
      await until("the answer from the replacement", () => hanging.of(request.awardId).length > 0, 10_000);
      // Not before the lease: two instances must never send one answer at the same time.
      expect((hanging.of(request.awardId)[0]?.at ?? 0) - killedAt).toBeGreaterThan(1_000);
      await until(
        "the delivery",
        async () => (await project(request.awardId, replacement?.url))?.callback.status === "delivered",
      );
      expect(await projectsOf(request.awardId, replacement.url)).toHaveLength(1);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await replacement?.stop();
      await hanging.stop();
    }
  });
});
