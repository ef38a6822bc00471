import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxMessages } from "../support/allot.js";
import { api, type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// Deliveries on the real local runtime: a receiver that verifies with standardwebhooks only, a
// short retry schedule, the sweep run by the edge's RunSchedule as if minutes passed.

const OWNER = "cli_e2edeliveries";
const PATH = "/hooks/programs";

interface Receipt {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let runtime: RuntimeProcess;
let server: Server;
let answer = 503;
const receipts: Receipt[] = [];
let sweeping: NodeJS.Timeout | undefined;

beforeAll(async () => {
  runtime = await startRuntimeProcess({ env: { ALLOT_WEBHOOK_RETRY_SCHEDULE: "1,1,1" } });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receipts.push({
        path: req.url ?? "",
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  sweeping = setInterval(() => {
    void fetch(`${runtime.edge}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AwsLocalAdmin.RunSchedule" },
      body: JSON.stringify({ name: "retry-webhook-deliveries" }),
    }).catch(() => undefined);
  }, 1_000);
}, 180_000);
afterAll(async () => {
  if (sweeping) clearInterval(sweeping);
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.stop();
});

const staff = async () => api(runtime.http, await runtime.token("sam", "staff"));
const key = () => ({ "idempotency-key": crypto.randomUUID() });
const createProgram = async (programId: string) => {
  const created = await (await staff())("POST", "/programs", {
    programId,
    name: `Deliveries ${programId}`,
    pools: { cashCents: 1_000_000, creditsCents: 1_000_000 },
    caps: { maxGrantCashCents: 100_000, maxGrantCreditsCents: 100_000, maxPartnerCreditsCents: 100_000 },
    cluster: { chips: 10 },
    creditRate: { centsPerChipHour: 200 },
  });
  expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
};
const forProgram = (programId: string, path = PATH) =>
  receipts.filter(
    (r) =>
      r.path === path &&
      (JSON.parse(r.body) as { data: { programId?: string } }).data.programId === programId,
  );
/** Before any event of this test: the start of the replayed range. */
const started = new Date(Date.now() - 1_000).toISOString();

describe("webhook deliveries, end to end", () => {
  let subscriptionId: string;
  let secret: string;

  it("retries a failing receiver, logs each attempt, disables the subscription when exhausted and mails the notice", async () => {
    const call = await staff();
    const created = await call(
      "POST",
      "/webhooks/subscriptions",
      {
        ownerId: OWNER,
        description: "programs created, for the deliveries e2e",
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`,
        pattern: { source: ["allot.programs"], "detail-type": ["Program Created"] },
      },
      key(),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ({ secret } = created.body as { secret: string });
    subscriptionId = (created.body as { subscription: { subscriptionId: string } }).subscription
      .subscriptionId;

    await createProgram("e2e-dlv-one");
    const failed = await until(
      async () => {
        const list = await call("GET", `/webhooks/subscriptions/${subscriptionId}/deliveries`);
        const items = (
          list.body as { items: Array<{ deliveryId: string; status: string; attempts: unknown[] }> }
        ).items;
        return items.find((d) => d.status === "failed");
      },
      "a failed delivery",
      60_000,
    );
    // The first attempt and the three retries of the schedule, each answered 503.
    expect(forProgram("e2e-dlv-one")).toHaveLength(4);
    const one = await call(
      "GET",
      `/webhooks/subscriptions/${subscriptionId}/deliveries/${failed.deliveryId}`,
    );
    const attempts = (one.body as { attempts: Array<{ statusCode?: number }> }).attempts;
    expect(attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 503]);
    expect(new Set(forProgram("e2e-dlv-one").map((r) => r.headers["webhook-id"]))).toEqual(
      new Set([failed.deliveryId]),
    );

    const sub = await call("GET", `/webhooks/subscriptions/${subscriptionId}`);
    expect((sub.body as { status: string }).status).toBe("disabled");
    const notice = await until(
      async () =>
        outboxMessages(runtime)
          // Quoted-printable: a soft line break is "=" at the end of a line.
          .map((m) => m.replace(/=\r\n/g, "").replace(/=3D/g, "="))
          .find((m) => m.includes(subscriptionId) && m.includes("disabled")),
      "the disabled notice in the outbox",
    );
    expect(notice).toContain("127.0.0.1");
    expect(notice).toContain("503");
    expect(notice).toContain(`/webhooks/subscriptions/${subscriptionId}/resume`);
    expect(notice).not.toContain(secret);
    expect(notice).not.toContain(PATH);
  }, 120_000);

  it("holds events while disabled and delivers them on resume, verified with standardwebhooks", async () => {
    const call = await staff();
    await createProgram("e2e-dlv-two");
    await until(async () => {
      const list = await call("GET", `/webhooks/subscriptions/${subscriptionId}/deliveries?status=held`);
      return (list.body as { items: unknown[] }).items.length > 0 || undefined;
    }, "a held delivery");
    expect(forProgram("e2e-dlv-two")).toHaveLength(0);
    answer = 204;
    const resumed = await call("POST", `/webhooks/subscriptions/${subscriptionId}/resume`);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    const [got] = await until(
      async () => (forProgram("e2e-dlv-two").length ? forProgram("e2e-dlv-two") : undefined),
      "the held delivery sent",
    );
    const payload = new Webhook(secret).verify(got?.body ?? "", got?.headers ?? {}) as {
      type: string;
      data: unknown;
    };
    expect(payload).toMatchObject({ type: "Program Created", data: { programId: "e2e-dlv-two" } });
  }, 90_000);

  it("redelivers with the same webhook-id", async () => {
    const call = await staff();
    const before = forProgram("e2e-dlv-one").length;
    const deliveryId = forProgram("e2e-dlv-one")[0]?.headers["webhook-id"] as string;
    const again = await call(
      "POST",
      `/webhooks/subscriptions/${subscriptionId}/deliveries/${deliveryId}/redeliver`,
      undefined,
      key(),
    );
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect((again.body as { status: string }).status).toBe("delivered");
    const latest = forProgram("e2e-dlv-one").at(-1);
    expect(forProgram("e2e-dlv-one")).toHaveLength(before + 1);
    expect(latest?.headers["webhook-id"]).toBe(deliveryId);
    expect(() => new Webhook(secret).verify(latest?.body ?? "", latest?.headers ?? {})).not.toThrow();
  }, 60_000);

  it("replays a range to this subscription only: the same webhook-id again, nothing to another", async () => {
    const call = await staff();
    const other = await call(
      "POST",
      "/webhooks/subscriptions",
      {
        ownerId: OWNER,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/other`,
        pattern: { source: ["allot.programs"], "detail-type": ["Program Created"] },
        description: "the subscription a replay must not reach",
      },
      key(),
    );
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const to = new Date().toISOString();
    const future = await call(
      "POST",
      `/webhooks/subscriptions/${subscriptionId}/replay`,
      { from: started, to: new Date(Date.now() + 3_600_000).toISOString() },
      key(),
    );
    expect(future.status).toBe(400);
    const tooOld = await call(
      "POST",
      `/webhooks/subscriptions/${subscriptionId}/replay`,
      { from: "2020-01-01T00:00:00Z", to },
      key(),
    );
    expect(tooOld.status).toBe(400);
    const before = forProgram("e2e-dlv-two").length;
    const replay = await call(
      "POST",
      `/webhooks/subscriptions/${subscriptionId}/replay`,
      { from: started, to },
      key(),
    );
    expect(replay.status, JSON.stringify(replay.body)).toBe(202);
    expect((replay.body as { replayName: string }).replayName).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
    const replayed = await until(
      async () => (forProgram("e2e-dlv-two").length > before ? forProgram("e2e-dlv-two") : undefined),
      "the replayed event",
    );
    expect(new Set(replayed.map((r) => r.headers["webhook-id"])).size).toBe(1);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(forProgram("e2e-dlv-one", "/hooks/other")).toHaveLength(0);
    expect(forProgram("e2e-dlv-two", "/hooks/other")).toHaveLength(0);
  }, 60_000);
});
