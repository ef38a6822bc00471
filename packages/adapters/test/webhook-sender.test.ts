import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ipLiteral, refusedAddress } from "../src/webhook/address-policy.js";
import { sendWebhook } from "../src/webhook/http-sender.js";

describe("the webhook address policy", () => {
  const strict = { allowLoopback: false };

  it("admits public unicast addresses, IPv4 and IPv6", () => {
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
      expect(refusedAddress(address, strict), address).toBeUndefined();
    }
  });

  it("refuses private, loopback, link-local, unique-local, CGNAT, multicast, unspecified, reserved", () => {
    for (const address of [
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "127.0.0.1",
      "127.1.2.3",
      "169.254.1.1",
      "100.64.0.1",
      "224.0.0.1",
      "0.0.0.0",
      "240.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fc00::1",
      "fd12:3456::1",
      "ff02::1",
      "2002:a00:1::",
      "64:ff9b::a00:1",
    ]) {
      expect(refusedAddress(address, strict), address).toBeDefined();
    }
  });

  it("refuses the IPv4-mapped forms of refused addresses", () => {
    for (const address of ["::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe", "::ffff:192.168.0.1"]) {
      expect(refusedAddress(address, strict), address).toBeDefined();
    }
  });

  it("refuses the metadata addresses even where loopback is allowed", () => {
    expect(refusedAddress("169.254.169.254", { allowLoopback: true })).toBe("the metadata address");
    expect(refusedAddress("fd00:ec2::254", { allowLoopback: true })).toBe("the metadata address");
    expect(refusedAddress("::ffff:169.254.169.254", { allowLoopback: true })).toBe("the metadata address");
  });

  it("allows loopback only when told to (locally)", () => {
    expect(refusedAddress("127.0.0.1", { allowLoopback: true })).toBeUndefined();
    expect(refusedAddress("::1", { allowLoopback: true })).toBeUndefined();
    expect(refusedAddress("10.0.0.1", { allowLoopback: true })).toBeDefined();
  });

  it("recognizes IP literals in a URL's host", () => {
    expect(ipLiteral("[::1]")).toBe("::1");
    expect(ipLiteral("127.0.0.1")).toBe("127.0.0.1");
    expect(ipLiteral("example.com")).toBeUndefined();
  });
});

describe("the webhook sender against a local server", () => {
  let server: Server;
  let base: string;
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const answers: Record<string, (res: import("node:http").ServerResponse) => void> = {
    "/ok": (res) => res.writeHead(204).end(),
    "/busy": (res) => res.writeHead(503, { "retry-after": "7" }).end("try later"),
    "/redirect": (res) => res.writeHead(302, { location: "/ok" }).end(),
    "/big": (res) => res.writeHead(500).end("x".repeat(100_000)),
    "/slow": () => {},
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        answers[req.url ?? ""]?.(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const loopback = { allowLoopback: true };

  it("posts the body and headers, and answers the status", async () => {
    const result = await sendWebhook(`${base}/ok`, { "webhook-id": "dlv_x" }, '{"a":1}', loopback);
    expect(result).toMatchObject({ statusCode: 204 });
    expect(received.at(-1)?.body).toBe('{"a":1}');
    expect(received.at(-1)?.headers["webhook-id"]).toBe("dlv_x");
    expect(received.at(-1)?.headers["content-type"]).toBe("application/json");
  });

  it("reports Retry-After and a bounded body", async () => {
    expect(await sendWebhook(`${base}/busy`, {}, "{}", loopback)).toMatchObject({
      statusCode: 503,
      retryAfter: "7",
      body: "try later",
    });
    const big = await sendWebhook(`${base}/big`, {}, "{}", { ...loopback, maxResponseBytes: 1000 });
    expect("body" in big && big.body.length).toBe(1000);
  });

  it("does not follow redirects", async () => {
    const before = received.length;
    expect(await sendWebhook(`${base}/redirect`, {}, "{}", loopback)).toMatchObject({ statusCode: 302 });
    expect(received.length).toBe(before + 1);
  });

  it("gives up after the timeout", async () => {
    const result = await sendWebhook(`${base}/slow`, {}, "{}", { ...loopback, timeoutMs: 300 });
    expect(result).toMatchObject({ error: expect.stringMatching(/no response/) });
  });

  it("refuses loopback, by name and by literal, unless allowed, and plain http", async () => {
    const before = received.length;
    const port = new URL(base).port;
    expect(
      await sendWebhook(`http://localhost:${port}/ok`, {}, "{}", { allowLoopback: false }),
    ).toMatchObject({
      error: expect.stringMatching(/https/),
    });
    expect(
      await sendWebhook(`https://localhost:${port}/ok`, {}, "{}", { allowLoopback: false }),
    ).toMatchObject({
      error: expect.stringMatching(/refused: localhost resolves to a loopback address/),
    });
    expect(
      await sendWebhook(`https://127.0.0.1:${port}/ok`, {}, "{}", { allowLoopback: false }),
    ).toMatchObject({
      error: expect.stringMatching(/refused/),
    });
    expect(
      await sendWebhook(`https://[::ffff:127.0.0.1]:${port}/ok`, {}, "{}", { allowLoopback: false }),
    ).toMatchObject({
      error: expect.stringMatching(/refused/),
    });
    expect(received.length).toBe(before);
  });
});
