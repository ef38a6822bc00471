import { describe, expect, it } from "vitest";
import type { Award } from "../src/award/schema.js";
import {
  creditThresholdDigest,
  creditThresholdMessage,
  type Notification,
  type NotificationRepository,
  notifyCreditThresholdCrossed,
  type OutgoingMail,
  templates,
  type UsageNotificationDeps,
} from "../src/notification/index.js";
import { CreditThresholds, creditThresholdsOf, Program } from "../src/program/schema.js";
import type { Proposal } from "../src/proposal/schema.js";
import { program } from "./fixtures.js";

const base = {
  applicantName: "Uma Grantee",
  awardId: "awd_1",
  proposalTitle: "Sparse attention at scale",
  creditsCents: 1_000_000,
};

describe("the credit-threshold template", () => {
  it("is the template of its kind", () => {
    expect(templates["credit-threshold"]).toBe(creditThresholdMessage);
  });

  it("states one threshold with exact amounts", () => {
    const m = creditThresholdMessage({ ...base, thresholds: [80], consumedCents: 812_345 });
    expect(m.subject).toBe("Award awd_1: 80% of your compute credits used");
    expect(m.text).toBe(
      [
        "Dear Uma Grantee,",
        "",
        'Award awd_1 ("Sparse attention at scale") has crossed the 80% threshold of its compute credits.',
        "",
        "Credits at the time of this message:",
        "  - Awarded: $10,000.00",
        "  - Consumed: $8,123.45",
        "  - Remaining: $1,876.55",
        "",
        "You can follow the award's usage and forecast with GET /awards/awd_1/usage. When the credits are used up, the award's reservations are suspended until program staff top them up.",
        "",
        "The Allot program team",
        "",
      ].join("\n"),
    );
  });

  it("names every threshold of a digest once, in order", () => {
    const m = creditThresholdMessage({ ...base, thresholds: [95, 50, 80, 80], consumedCents: 960_000 });
    expect(m.subject).toBe("Award awd_1: 95% of your compute credits used");
    expect(m.text).toContain("has crossed the 50%, 80% and 95% thresholds of its compute credits at once.");
    expect(m.text).toContain("  - Remaining: $400.00");
  });

  it("at 100 % says the reservations are suspended until staff top up", () => {
    const m = creditThresholdMessage({ ...base, thresholds: [95, 100], consumedCents: 1_000_001 });
    expect(m.subject).toBe("Award awd_1: your compute credits are used up");
    expect(m.text).toContain("has crossed the 95% and 100% thresholds");
    expect(m.text).toContain("  - Consumed: $10,000.01");
    expect(m.text).toContain("  - Remaining: $0.00 (overdrawn by $0.01)");
    expect(m.text).toContain("reservations on the research cluster are suspended until program staff top up");
  });

  it("refuses an empty list", () => {
    expect(() => creditThresholdMessage({ ...base, thresholds: [], consumedCents: 0 })).toThrow(RangeError);
  });
});

describe("the credit-threshold digest", () => {
  it("sends from the highest threshold crossed only, naming the ones below it", () => {
    const crossed = [50, 80, 95];
    expect(creditThresholdDigest({ threshold: 95, crossed, notified: [] })).toEqual([50, 80, 95]);
    expect(creditThresholdDigest({ threshold: 80, crossed, notified: [] })).toBeUndefined();
    expect(creditThresholdDigest({ threshold: 50, crossed, notified: [] })).toBeUndefined();
  });

  it("leaves out what an earlier notice reported", () => {
    expect(creditThresholdDigest({ threshold: 100, crossed: [50, 80, 95, 100], notified: [50] })).toEqual([
      80, 95, 100,
    ]);
    expect(creditThresholdDigest({ threshold: 100, crossed: [50, 80, 95, 100], notified: [50, 95] })).toEqual(
      [100],
    );
  });

  it("defers to a higher threshold the consumption reaches but the processor has yet to mark", () => {
    // The consumer of 50 running between the processor's marker writes of 50 and 80.
    expect(creditThresholdDigest({ threshold: 50, crossed: [50], reached: [50, 80, 95], notified: [] })).toBe(
      undefined,
    );
    expect(
      creditThresholdDigest({ threshold: 95, crossed: [50, 80, 95], reached: [50, 80, 95], notified: [] }),
    ).toEqual([50, 80, 95]);
  });

  it("counts the event's own threshold as crossed", () => {
    expect(creditThresholdDigest({ threshold: 80, crossed: [], notified: [] })).toEqual([80]);
  });
});

// The consumer over in-memory records: the three events of one batch, in any order and
// redelivered, give one mail.
const setup = (raised: number[], consumed: number) => {
  let consumedCents = consumed;
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
  const award = {
    awardId: "awd_1",
    programId: "prog",
    proposalId: "prp_1",
    applicantId: "uma",
    creditsCents: 1_000_000,
  } as Award;
  const proposal = {
    proposalId: "prp_1",
    callId: "call",
    applicantId: "uma",
    title: "Sparse attention at scale",
    pi: { name: "Uma Grantee", email: "uma@inst.example" },
  } as Proposal;
  const deps = {
    awards: { get: async (id: string) => (id === award.awardId ? award : undefined) },
    proposals: { get: async (id: string) => (id === proposal.proposalId ? proposal : undefined) },
    clock: { now: () => new Date("2026-06-10T12:00:00Z") },
    staffEmail: "staff@allot.local",
    mail: {
      notifications,
      mailer: { send: async (m: OutgoingMail) => void sent.push(m) },
      clock: { now: () => new Date("2026-06-10T12:00:00Z") },
      from: "Allot <noreply@allot.local>",
    },
    usage: {
      thresholdsRaised: async (_: string, candidates: number[]) =>
        candidates.filter((t) => raised.includes(t)),
      totals: async () => ({ consumedCents, byDay: [] }),
    },
    thresholds: async () => [50, 80, 95, 100],
  } as unknown as UsageNotificationDeps;
  const event = (threshold: number) =>
    notifyCreditThresholdCrossed(deps, `awd_1:threshold:${threshold}`, {
      awardId: "awd_1",
      programId: "prog",
      threshold,
    });
  const consume = (cents: number) => {
    consumedCents = cents;
  };
  return { event, sent, items, raised, consume };
};

describe("notifying the crossed thresholds", () => {
  it("sends one notice for a batch crossing three thresholds, whatever the order and redeliveries", async () => {
    const { event, sent, items } = setup([50, 80, 95], 960_000);
    for (const t of [80, 50, 95, 95, 50, 80]) await event(t);
    expect(sent).toHaveLength(1);
    expect(items.size).toBe(1);
    const [n] = [...items.values()];
    expect(n).toMatchObject({ kind: "credit-threshold", recipient: { userId: "uma" }, status: "sent" });
    expect(n?.related.awardId).toBe("awd_1");
    expect(sent[0]?.text).toContain("the 50%, 80% and 95% thresholds");
  });

  it("sends nothing from a lower threshold's event that runs before the higher ones are marked", async () => {
    const s = setup([50], 960_000);
    await s.event(50);
    expect(s.sent).toHaveLength(0);
    s.raised.push(80, 95);
    await s.event(95);
    await s.event(80);
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]?.text).toContain("the 50%, 80% and 95% thresholds");
  });

  it("names only the new thresholds when a later batch crosses more", async () => {
    const s = setup([50], 500_000);
    await s.event(50);
    s.raised.push(80, 95, 100);
    s.consume(1_000_000);
    for (const t of [100, 80, 95]) await s.event(t);
    expect(s.sent).toHaveLength(2);
    expect(s.sent[1]?.subject).toBe("Award awd_1: your compute credits are used up");
    expect(s.sent[1]?.text).toContain("the 80%, 95% and 100% thresholds");
  });
});

describe("per-program thresholds", () => {
  it("are optional, defaulting to 50, 80, 95 and 100", () => {
    expect(creditThresholdsOf(program)).toEqual([50, 80, 95, 100]);
    const { createdAt: _a, createdBy: _b, ...input } = program;
    expect(creditThresholdsOf(Program.parse({ ...input, creditThresholds: [25, 90, 100] }))).toEqual([
      25, 90, 100,
    ]);
  });

  it("are whole percents 1–100, ascending, unique, with 100", () => {
    expect(CreditThresholds.safeParse([50, 100]).success).toBe(true);
    for (const bad of [[], [50, 80], [80, 50, 100], [50, 50, 100], [0, 100], [50, 101], [50.5, 100]]) {
      expect(CreditThresholds.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
