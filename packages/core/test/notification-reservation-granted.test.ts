import { describe, expect, it } from "vitest";
import type { Award } from "../src/award/schema.js";
import {
  type AwardNotificationDeps,
  type Notification,
  type NotificationRepository,
  notifyReservationGranted,
  type OutgoingMail,
  reservationGrantedMessage,
  templates,
} from "../src/notification/index.js";
import type { Proposal } from "../src/proposal/schema.js";

const input = {
  applicantName: "Uma Grantee",
  awardId: "awd_1",
  reservationId: "rsv_1",
  chips: 40,
  startsAt: "2026-12-02T10:00:00.000Z",
  endsAt: "2026-12-02T12:00:00.000Z",
  holdCents: 16_000,
};

describe("the reservation-granted notice", () => {
  it("is the template of its kind and states the chips, the window in UTC and the credits held", () => {
    expect(templates["reservation-granted"]).toBe(reservationGrantedMessage);
    const m = reservationGrantedMessage(input);
    expect(m.subject).toBe("Your reservation of 40 chips on the research cluster is granted");
    expect(m.text).toContain("Your queued reservation rsv_1 for award awd_1 has been granted");
    expect(m.text).toContain("  - Chips: 40");
    expect(m.text).toContain("  - From: Wednesday, 2 December 2026, 10:00 UTC");
    expect(m.text).toContain("  - Until: Wednesday, 2 December 2026, 12:00 UTC");
    expect(m.text).toContain("  - Credits held: $160.00");
    expect(m.text).toContain("POST /awards/awd_1/reservations/rsv_1/cancel");
  });

  it("sends once per grant from the queue, and nothing for a grant at once", async () => {
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
    const award = { awardId: "awd_1", proposalId: "prp_1", applicantId: "uma" } as Award;
    const proposal = {
      proposalId: "prp_1",
      callId: "call",
      applicantId: "uma",
      pi: { name: "Uma Grantee", email: "uma@inst.example" },
    } as Proposal;
    const now = () => new Date("2026-12-01T12:00:00Z");
    const deps = {
      awards: { get: async (id: string) => (id === award.awardId ? award : undefined) },
      proposals: { get: async (id: string) => (id === proposal.proposalId ? proposal : undefined) },
      clock: { now },
      staffEmail: "staff@allot.local",
      mail: {
        notifications,
        mailer: { send: async (m: OutgoingMail) => void sent.push(m) },
        clock: { now },
        from: "Allot <noreply@allot.local>",
      },
    } as unknown as AwardNotificationDeps;
    const data = { ...input, programId: "prog", applicantId: "uma" };
    const { applicantName: _n, ...event } = data;
    expect(await notifyReservationGranted(deps, "evt_now", { ...event, fromQueue: false })).toEqual({
      sent: false,
    });
    await notifyReservationGranted(deps, "evt_queue", { ...event, fromQueue: true });
    await notifyReservationGranted(deps, "evt_queue", { ...event, fromQueue: true });
    expect(sent).toHaveLength(1);
    expect([...items.values()]).toEqual([
      expect.objectContaining({
        kind: "reservation-granted",
        recipient: { userId: "uma", email: "uma@inst.example", name: "Uma Grantee" },
        related: { proposalId: "prp_1", callId: "call", awardId: "awd_1" },
      }),
    ]);
  });
});
