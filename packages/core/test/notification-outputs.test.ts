import { describe, expect, it } from "vitest";
import type { Award } from "../src/award/schema.js";
import {
  type AwardNotificationDeps,
  complianceChangedMessage,
  notifyComplianceChanged,
  notifyObligationOverdue,
  type OutgoingMail,
  obligationReminderMessage,
  remindObligation,
  templates,
} from "../src/notification/index.js";
import type { Output } from "../src/output/index.js";
import type { Proposal } from "../src/proposal/schema.js";
import { memoryNotifications, memoryOutputs } from "./fakes.js";
import { program } from "./fixtures.js";

const award = {
  awardId: "awd_1",
  proposalId: "prp_1",
  programId: program.programId,
  applicantId: "uma",
  status: "active",
  endsAt: "2027-12-01T00:00:00.000Z",
} as Award;
const proposal = {
  proposalId: "prp_1",
  callId: "call",
  applicantId: "uma",
  pi: { name: "Uma Grantee", email: "uma@inst.example" },
} as Proposal;
const repository: Output = {
  outputId: "out_1",
  awardId: "awd_1",
  programId: program.programId,
  applicantId: "uma",
  kind: "repository",
  identity: "github:uma/tool",
  repository: { owner: "uma", name: "tool", url: "https://github.com/uma/tool" },
  status: "rejected",
  registeredAt: "2027-01-01T00:00:00.000Z",
  registeredBy: "uma",
  verification: {
    outcome: "rejected",
    checkedAt: "2027-03-01T00:00:00Z",
    reason: "GPL-3.0-only is not a permissive license",
  },
  history: [],
  revision: 3,
};

const setup = (now = "2027-11-24T00:00:00.000Z") => {
  const sent: OutgoingMail[] = [];
  const notifications = memoryNotifications();
  const outputs = memoryOutputs();
  const clock = { now: () => new Date(now) };
  const deps = {
    awards: { get: async (id: string) => (id === award.awardId ? award : undefined) },
    proposals: { get: async (id: string) => (id === proposal.proposalId ? proposal : undefined) },
    programs: { get: async () => program },
    outputs: outputs.repo,
    clock,
    staffEmail: "staff@allot.local",
    mail: {
      notifications: notifications.repo,
      mailer: { send: async (m: OutgoingMail) => void sent.push(m) },
      clock,
      from: "Allot <noreply@allot.local>",
    },
  } as unknown as AwardNotificationDeps & {
    outputs: typeof outputs.repo;
    programs: { get: () => Promise<typeof program> };
  };
  return { deps, sent, outputs };
};

describe("notices about outputs and obligations", () => {
  it("are the templates of their kinds", () => {
    expect(templates["compliance-changed"]).toBe(complianceChangedMessage);
    expect(templates["obligation-reminder"]).toBe(obligationReminderMessage);
    const m = obligationReminderMessage({
      awardId: "awd_1",
      obligation: "repository",
      dueAt: "2027-12-01T00:00:00.000Z",
      now: "2027-11-24T00:00:00.000Z",
    });
    expect(m.subject).toBe("Reminder: the code repository of award awd_1 is due in 7 days");
    expect(m.text).toContain("by Wednesday, 1 December 2027, 00:00 UTC");
  });

  it("tell the grantee and staff when an obligation is lost, staff alone when it is met, once per event", async () => {
    const { deps, sent, outputs } = setup();
    await outputs.repo.create(repository, []);
    const data = {
      awardId: "awd_1",
      programId: program.programId,
      obligation: "repository" as const,
      outputId: "out_1",
      compliant: true,
    };
    await notifyComplianceChanged(deps, "evt_lost", { ...data, met: false });
    await notifyComplianceChanged(deps, "evt_lost", { ...data, met: false });
    expect(sent.map((m) => m.to.email)).toEqual(["uma@inst.example", "staff@allot.local"]);
    expect(sent[0]?.text).toContain("github:uma/tool GPL-3.0-only is not a permissive license");
    await notifyComplianceChanged(deps, "evt_met", { ...data, met: true });
    expect(sent.map((m) => m.to.email)).toEqual([
      "uma@inst.example",
      "staff@allot.local",
      "staff@allot.local",
    ]);
  });

  it("remind only while the obligation is unmet and its due date unmoved; overdue goes to both", async () => {
    const { deps, sent, outputs } = setup();
    expect(await remindObligation(deps as never, "awd_1", "repository", "2027-11-24T00:00:00.000Z")).toEqual({
      sent: true,
    });
    expect(await remindObligation(deps as never, "awd_1", "repository", "2027-11-20T00:00:00.000Z")).toEqual({
      sent: false,
    });
    await outputs.repo.create({ ...repository, status: "verified" }, []);
    expect(await remindObligation(deps as never, "awd_1", "repository", "2027-11-24T00:00:00.000Z")).toEqual({
      sent: false,
    });
    await notifyObligationOverdue(deps, "evt_overdue", {
      awardId: "awd_1",
      programId: program.programId,
      obligation: "paper",
      dueAt: "2028-05-29T00:00:00.000Z",
    });
    expect(sent.map((m) => [m.to.email, m.subject])).toEqual([
      ["uma@inst.example", "Reminder: the code repository of award awd_1 is due in 7 days"],
      ["uma@inst.example", "Overdue: the paper of award awd_1"],
      ["staff@allot.local", "Overdue: the paper of award awd_1"],
    ]);
  });
});
