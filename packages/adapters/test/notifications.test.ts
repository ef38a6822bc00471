import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DomainError } from "@allot/core";
import {
  draftNotification,
  type Notification,
  type NotificationRepository,
  notify,
  type OutgoingMail,
} from "@allot/core/notification";
import { mainTable } from "@allot/stacks";
import type { SendEmailCommand } from "@aws-sdk/client-sesv2";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDynamo, type TestDynamo } from "../../aws-local/test/support/dynamo.js";
import { parseMessage } from "../../core/test/notification-mail.js";
import {
  DEFAULT_MAIL_FROM,
  dynamoNotificationRepository,
  fileMailer,
  mailerFromEnv,
  sesMailer,
} from "../src/index.js";

const notification = (n: number, overrides: Partial<Notification> = {}): Notification => {
  const userId = overrides.recipient?.userId ?? "alice";
  const draft = draftNotification({
    cause: `cause-${n}`,
    kind: "decision",
    recipient: { userId, email: `${userId}@uni.example` },
    message: { subject: `Subject ${n}`, text: `Body ${n}\n` },
    related: { proposalId: `prp_${n % 3}`, callId: "spring-2027" },
  });
  return {
    ...draft,
    related: draft.related ?? {},
    createdAt: new Date(Date.UTC(2026, 10, 28, 10, 0, n)).toISOString(),
    status: "pending",
    ...overrides,
  };
};

const mail: OutgoingMail = {
  notificationId: "ntf_0123456789abcdefghjkmnpqrs",
  from: "Allot Grants <grants@allot.local>",
  to: { email: "jose@uni.example", name: "José Müller" },
  subject: "Décision sur « Apprentissage fédéré »",
  text: `Bonjour José,\n\n${"Une ligne très longue. ".repeat(10)}\nMontant : $500,000.00\n`,
  date: new Date("2027-03-05T17:00:00Z"),
};

describe("DynamoDB notification repository", () => {
  let dynamo: TestDynamo;
  let repo: NotificationRepository;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    await ensureTable(dynamo.client, mainTable);
    repo = dynamoNotificationRepository(dynamo.doc, mainTable.name);
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it("puts once, reads back, and marks sent keeping the first sentAt", async () => {
    // Prepare
    const n = notification(100, {
      recipient: { userId: "olga", email: "olga@uni.example" },
      related: { proposalId: "prp_once" },
    });
    // Act
    const created = await repo.putIfAbsent(n);
    const again = await repo.putIfAbsent({ ...n, createdAt: "2026-12-01T00:00:00.000Z", subject: "Another" });
    await repo.markSent(n.notificationId, "2026-11-28T11:00:00.000Z");
    await repo.markSent(n.notificationId, "2026-11-28T12:00:00.000Z");
    // Assess
    expect([created, again]).toEqual([true, false]);
    expect(await repo.get(n.notificationId)).toEqual({
      ...n,
      status: "sent",
      sentAt: "2026-11-28T11:00:00.000Z",
    });
    // The losing retry did not add a second reference to the proposal.
    expect(
      (await repo.listAll({ limit: 10, proposalId: "prp_once" })).items.map((x) => x.notificationId),
    ).toEqual([n.notificationId]);
    expect(await repo.get("ntf_aaaaaaaaaaaaaaaaaaaaaaaaaa")).toBeUndefined();
    const error = await repo
      .markSent("ntf_aaaaaaaaaaaaaaaaaaaaaaaaaa", "2026-11-28T12:00:00.000Z")
      .catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe("not_found");
  });

  it("lists newest first by recipient, for everyone, and by proposal, page by page", async () => {
    // Prepare: 12 for alice, 6 for bob, over three proposals, and a staff mail with no user id.
    for (let n = 0; n < 18; n++) {
      await repo.putIfAbsent(
        notification(n, { recipient: { userId: n % 3 === 2 ? "bob" : "alice", email: "x@uni.example" } }),
      );
    }
    await repo.putIfAbsent({
      ...notification(40),
      kind: "reviewers-needed",
      recipient: { email: "staff@allot.example" },
      related: { proposalId: "prp_2", callId: "spring-2027" },
    });
    const readAll = async (
      list: (cursor?: string) => Promise<{ items: Notification[]; nextCursor?: string }>,
    ) => {
      const seen: Notification[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list(cursor);
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      return { seen, pages };
    };
    const subjects = (ns: Notification[]) => ns.map((n) => n.subject);
    const expected = (filter: (n: number) => boolean) =>
      Array.from({ length: 41 }, (_, n) => 40 - n)
        .filter((n) => n < 18 || n === 40)
        .filter(filter)
        .map((n) => `Subject ${n}`);

    // Act
    const alice = await readAll((cursor) => repo.listForRecipient("alice", { limit: 5, cursor }));
    const everyone = await readAll((cursor) => repo.listAll({ limit: 7, cursor }));
    const proposal2 = await readAll((cursor) => repo.listAll({ limit: 2, cursor, proposalId: "prp_2" }));
    const bobOnProposal2 = await readAll((cursor) =>
      repo.listForRecipient("bob", { limit: 4, cursor, proposalId: "prp_2" }),
    );
    const aliceOnProposal2 = await repo.listForRecipient("alice", { limit: 4, proposalId: "prp_2" });

    // Assess
    expect(subjects(alice.seen)).toEqual(expected((n) => n < 18 && n % 3 !== 2));
    expect(alice.pages).toBe(3);
    expect(subjects(everyone.seen).filter((s) => s !== "Subject 100")).toEqual(expected(() => true));
    expect(subjects(proposal2.seen)).toEqual(expected((n) => n % 3 === 2 || n === 40));
    expect(subjects(bobOnProposal2.seen)).toEqual(expected((n) => n < 18 && n % 3 === 2));
    expect(bobOnProposal2.pages).toBe(2);
    expect(aliceOnProposal2.items).toEqual([]);
  });

  it("refuses a cursor it did not issue", async () => {
    for (const cursor of ["nonsense", Buffer.from("PROPOSAL#x").toString("base64url")]) {
      const error = await repo.listAll({ limit: 5, cursor }).catch((e) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error.kind).toBe("validation");
    }
  });

  it("backs notify end to end with the file mailer: one file, one send, however often it runs", async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), "allot-outbox-"));
    try {
      const deps = {
        notifications: repo,
        mailer: fileMailer(dir),
        clock: { now: () => new Date() },
        from: DEFAULT_MAIL_FROM,
      };
      const draft = draftNotification({
        cause: "prp_e2e:decided",
        kind: "decision",
        recipient: { userId: "carol", email: "carol@uni.example", name: "Carol" },
        message: { subject: "Your proposal is approved", text: "Dear Carol,\n\nApproved.\n" },
        related: { proposalId: "prp_e2e" },
      });
      // Act
      const results = await Promise.all([notify(deps, draft), notify(deps, draft)]).then(async (r) => [
        ...r,
        await notify(deps, draft),
      ]);
      // Assess
      expect(results.at(-1)?.sent).toBe(false);
      expect(await readdir(dir)).toEqual([`${draft.notificationId}.eml`]);
      const stored = await repo.get(draft.notificationId);
      expect(stored?.status).toBe("sent");
      const parsed = parseMessage(await readFile(join(dir, `${draft.notificationId}.eml`), "utf8"));
      expect(parsed.headers.get("to")).toBe("Carol <carol@uni.example>");
      expect(parsed.body).toBe("Dear Carol,\r\n\r\nApproved.\r\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("file mailer", () => {
  it("writes one RFC 5322 message per notification, and a re-send replaces it with the same bytes", async () => {
    // Prepare
    const dir = join(await mkdtemp(join(tmpdir(), "allot-outbox-")), "outbox");
    try {
      const mailer = fileMailer(dir);
      // Act
      await mailer.send(mail);
      const first = await readFile(join(dir, `${mail.notificationId}.eml`), "utf8");
      await mailer.send(mail);
      // Assess
      expect(await readdir(dir)).toEqual([`${mail.notificationId}.eml`]);
      const raw = await readFile(join(dir, `${mail.notificationId}.eml`), "utf8");
      expect(raw).toBe(first);
      const parsed = parseMessage(raw);
      expect(parsed.headers.get("from")).toBe("Allot Grants <grants@allot.local>");
      expect(parsed.headers.get("to")).toBe("José Müller <jose@uni.example>");
      expect(parsed.headers.get("subject")).toBe(mail.subject);
      expect(parsed.headers.get("date")).toBe("Fri, 05 Mar 2027 17:00:00 +0000");
      expect(parsed.headers.get("message-id")).toBe(`<${mail.notificationId}@allot.local>`);
      expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
      expect(parsed.body).toBe(mail.text.replace(/\n/g, "\r\n"));
    } finally {
      await rm(join(dir, ".."), { recursive: true, force: true });
    }
  });

  it("refuses an id that could leave the folder, and leaves no temporary file behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "allot-outbox-"));
    try {
      await expect(fileMailer(dir).send({ ...mail, notificationId: "../escape" })).rejects.toThrow(
        RangeError,
      );
      await expect(fileMailer(dir).send({ ...mail, to: { email: "not an address" } })).rejects.toThrow(
        RangeError,
      );
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("SES mailer", () => {
  it("builds a SendEmail with simple UTF-8 content, the encoded sender and the notification id as a tag", async () => {
    // Prepare
    const commands: SendEmailCommand[] = [];
    const mailer = sesMailer({
      async send(command) {
        commands.push(command);
        return {};
      },
    });
    // Act
    await mailer.send(mail);
    // Assess
    expect(commands).toHaveLength(1);
    expect(commands[0]?.input).toEqual({
      FromEmailAddress: "Allot Grants <grants@allot.local>",
      Destination: { ToAddresses: ["=?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <jose@uni.example>"] },
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: "UTF-8" },
          Body: { Text: { Data: mail.text, Charset: "UTF-8" } },
          Headers: [
            { Name: "Auto-Submitted", Value: "auto-generated" },
            { Name: "X-Allot-Notification-Id", Value: mail.notificationId },
          ],
        },
      },
      EmailTags: [{ Name: "notificationId", Value: mail.notificationId }],
    });
  });

  it("is chosen unless the local runtime names an outbox folder", () => {
    expect(mailerFromEnv({}).transport).toBe("ses");
    expect(mailerFromEnv({}).from).toBe("Allot <no-reply@allot.local>");
    const local = mailerFromEnv({
      ALLOT_MAIL_DIR: "/tmp/allot-outbox",
      ALLOT_MAIL_FROM: "Grants <grants@uni.example>",
    });
    expect(local.transport).toBe("file");
    expect(local.from).toBe("Grants <grants@uni.example>");
    expect(() => mailerFromEnv({ ALLOT_MAIL_FROM: "nobody" })).toThrow(RangeError);
  });
});
