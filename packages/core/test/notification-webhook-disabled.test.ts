import { describe, expect, it } from "vitest";
import type { IntegrationClient } from "../src/integration/client.js";
import {
  isMandatory,
  type Notification,
  type NotificationRepository,
  notifyWebhookSubscriptionDisabled,
  type OutgoingMail,
  templates,
  type WebhookNotificationDeps,
  webhookDisabledMessage,
} from "../src/notification/index.js";
import type { Subscription } from "../src/webhook/index.js";

const subscriptionId = "sub_01jd3q0c5y8w2t6r4p9m7k1h3f";
const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const subscription = {
  subscriptionId,
  ownerId: "cli_billing",
  url: "https://hooks.example.com/in/tok_secretpath?key=abc",
  secrets: [{ secret, createdAt: "2026-12-01T00:00:00.000Z" }],
  status: "disabled",
} as unknown as Subscription;
const data = { subscriptionId, ownerId: "cli_billing", deliveryId: "dlv_1", attempts: 4, lastStatus: 503 };

const setup = (client?: Partial<IntegrationClient>) => {
  const items = new Map<string, Notification>();
  const sent: OutgoingMail[] = [];
  const notifications = {
    async putIfAbsent(n: Notification) {
      if (items.has(n.notificationId)) return false;
      items.set(n.notificationId, structuredClone(n));
      return true;
    },
    async markSent(id: string, sentAt: string) {
      const n = items.get(id);
      if (n && n.status !== "sent") items.set(id, { ...n, status: "sent", sentAt });
    },
    async get(id: string) {
      return items.get(id);
    },
  } as unknown as NotificationRepository;
  const now = () => new Date("2026-12-01T12:00:00Z");
  const deps = {
    staffEmail: "staff@allot.local",
    subscriptions: { get: async (id: string) => (id === subscriptionId ? subscription : undefined) },
    clients: {
      get: async (id: string) =>
        client && id === client.clientId ? (client as IntegrationClient) : undefined,
    },
    mail: {
      notifications,
      mailer: { send: async (m: OutgoingMail) => void sent.push(m) },
      clock: { now },
      from: "Allot <noreply@allot.local>",
    },
  } as unknown as WebhookNotificationDeps;
  return { deps, items, sent };
};

describe("the webhook-subscription-disabled notice", () => {
  it("is the template of its kind, mandatory, and names the subscription, the host, the last status and how to resume", () => {
    expect(templates["webhook-subscription-disabled"]).toBe(webhookDisabledMessage);
    expect(isMandatory("webhook-subscription-disabled")).toBe(true);
    const m = webhookDisabledMessage({ ...data, host: "hooks.example.com" });
    expect(m.subject).toContain(subscriptionId);
    expect(m.text).toContain("hooks.example.com");
    expect(m.text).toContain("HTTP 503");
    expect(m.text).toContain(`POST /webhooks/subscriptions/${subscriptionId}/resume`);
    expect(webhookDisabledMessage({ ...data, lastStatus: undefined, host: "h" }).text).toContain(
      "no response",
    );
  });

  it("tells the integration's contact and staff once, with no secret, no path, no payload", async () => {
    const { deps, items, sent } = setup({
      clientId: "cli_billing",
      name: "Billing",
      contactEmail: "ops@billing.example",
    });
    await notifyWebhookSubscriptionDisabled(deps, "evt_1", data);
    await notifyWebhookSubscriptionDisabled(deps, "evt_1", data);
    expect(sent.map((m) => m.to.email).sort()).toEqual(["ops@billing.example", "staff@allot.local"]);
    expect(sent).toHaveLength(2);
    const stored = [...items.values()];
    expect(stored.map((n) => n.recipient.email).sort()).toEqual(["ops@billing.example", "staff@allot.local"]);
    expect(stored.find((n) => n.recipient.email === "ops@billing.example")?.recipient.userId).toBe(
      "cli_billing",
    );
    for (const n of stored) {
      expect(n.kind).toBe("webhook-subscription-disabled");
      expect(n.text).toContain("hooks.example.com");
      expect(`${n.subject}\n${n.text}`).not.toMatch(/whsec_|tok_secretpath|key=abc/);
    }
  });

  it("tells staff only when the integration's client is absent", async () => {
    const { deps, items } = setup();
    await notifyWebhookSubscriptionDisabled(deps, "evt_2", data);
    expect([...items.values()].map((n) => n.recipient.email)).toEqual(["staff@allot.local"]);
  });
});
