import { describe, expect, it } from "vitest";
import {
  encodedWords,
  encodeQuotedPrintable,
  formatAddress,
  formatDate,
  formatMessageId,
  parseAddress,
  renderMessage,
} from "../src/notification/index.js";
import { decodeQuotedPrintable, parseMessage } from "./notification-mail.js";

const base = {
  from: "Allot <no-reply@allot.local>",
  to: { email: "alice@uni.example", name: "Alice A" },
  subject: "We received your proposal",
  text: "Hello Alice,\n\nThank you.\n",
  date: new Date("2027-03-05T17:00:00Z"),
  messageId: "ntf_0123456789abcdefghjkmnpqrs",
};

/** Everything a transport-safe message must be, whatever it carries. */
const assertWellFormed = (raw: string) => {
  expect([...raw].every((c) => c.charCodeAt(0) < 128)).toBe(true);
  expect(raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  const [head, ...rest] = raw.split("\r\n\r\n");
  for (const line of (head ?? "").split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
  for (const line of rest.join("\r\n\r\n").split("\r\n")) {
    expect(line.length).toBeLessThanOrEqual(76);
    // No white space may end a quoted-printable line: transports strip it.
    expect(line).not.toMatch(/[ \t]$/);
  }
};

describe("renderMessage", () => {
  it("writes the headers a mail client expects, CRLF everywhere, the body quoted-printable", () => {
    // Act
    const raw = renderMessage(base);
    // Assess
    assertWellFormed(raw);
    expect(raw.split("\r\n\r\n")[0]?.split("\r\n")).toEqual([
      "From: Allot <no-reply@allot.local>",
      "To: Alice A <alice@uni.example>",
      "Subject: We received your proposal",
      "Date: Fri, 05 Mar 2027 17:00:00 +0000",
      "Message-ID: <ntf_0123456789abcdefghjkmnpqrs@allot.local>",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
    ]);
    const parsed = parseMessage(raw);
    expect(parsed.body).toBe("Hello Alice,\r\n\r\nThank you.\r\n");
  });

  it("round-trips non-ASCII subjects, names and bodies through encoded words and quoted-printable", () => {
    // Prepare
    const input = {
      ...base,
      from: { email: "grants@allot.local", name: "Programme Allot — Équipe" },
      to: { email: "jose@uni.example", name: "José Müller-Łukasiewicz 山田" },
      subject:
        "Décision : votre proposition « Apprentissage fédéré » est approuvée ✅ — 日本語の件名も含めて長く",
      text: "Grüße, José!\nMontant : 500 000,00 $ — ½ payé d'avance.\n😀 emoji, 山田 and = signs = fine\n",
    };
    // Act
    const raw = renderMessage(input);
    const parsed = parseMessage(raw);
    // Assess
    assertWellFormed(raw);
    expect(parsed.headers.get("subject")).toBe(input.subject);
    expect(parsed.headers.get("from")).toBe("Programme Allot — Équipe <grants@allot.local>");
    expect(parsed.headers.get("to")).toBe("José Müller-Łukasiewicz 山田 <jose@uni.example>");
    expect(parsed.body).toBe(input.text.replace(/\n/g, "\r\n"));
    expect(raw).toContain("Subject: =?UTF-8?Q?");
  });

  it("keeps every encoded word within 75 characters and never splits a character between two", () => {
    // Prepare
    const text = "😀".repeat(40) + " é".repeat(30);
    // Act
    const words = encodedWords(text, "Subject: ".length);
    // Assess
    expect(words.length).toBeGreaterThan(3);
    for (const word of words) {
      expect(word.length).toBeLessThanOrEqual(75);
      // Each word decodes on its own, which fails if a UTF-8 sequence was cut.
      const data = word.slice("=?UTF-8?Q?".length, -2).replace(/_/g, "=20");
      expect(() => decodeQuotedPrintable(data)).not.toThrow();
    }
    expect(`Subject: ${words[0]}`.length).toBeLessThanOrEqual(76);
  });

  it("folds a long ASCII subject at spaces and unfolds to the same text", () => {
    const subject = `Reviewers needed: ${"proposal prp_abc in the Spring 2027 call ".repeat(4).trim()}`;
    const raw = renderMessage({ ...base, subject });
    assertWellFormed(raw);
    expect(raw).toMatch(/Subject: [^\r]+\r\n [^\r]+/);
    expect(parseMessage(raw).headers.get("subject")).toBe(subject);
  });

  it("cannot be made to inject a header through the subject, a name or an extra header", () => {
    // Act
    const raw = renderMessage({
      ...base,
      subject: "Hi\r\nBcc: victim@example.com",
      to: { email: "alice@uni.example", name: "Alice\nBcc: x@example.com" },
      headers: { "X-Note": "a\r\nBcc: y@example.com" },
    });
    // Assess
    const parsed = parseMessage(raw);
    expect(parsed.names.map((n) => n.toLowerCase())).not.toContain("bcc");
    expect(parsed.headers.get("subject")).toBe("Hi Bcc: victim@example.com");
    expect(() => renderMessage({ ...base, headers: { Subject: "again" } })).toThrow(/set by renderMessage/);
    expect(() => renderMessage({ ...base, headers: { "Bad Name": "x" } })).toThrow(/header name/);
  });

  it("quotes display names with specials, and encodes a subject that looks like an encoded word", () => {
    expect(formatAddress({ email: "a@b.example", name: 'Doe, Jane "JD"' })).toBe(
      '"Doe, Jane \\"JD\\"" <a@b.example>',
    );
    expect(formatAddress({ email: "a@b.example" })).toBe("a@b.example");
    expect(formatAddress("Allot <no-reply@allot.local>")).toBe("Allot <no-reply@allot.local>");
    expect(parseAddress('"Doe, Jane" <a@b.example>')).toEqual({ email: "a@b.example", name: "Doe, Jane" });
    expect(() => parseAddress("not an address")).toThrow();
    const raw = renderMessage({ ...base, subject: "=?UTF-8?Q?fake?=" });
    expect(parseMessage(raw).headers.get("subject")).toBe("=?UTF-8?Q?fake?=");
  });

  it("writes RFC 5322 dates and message ids", () => {
    expect(formatDate("2026-01-09T08:05:03.120Z")).toBe("Fri, 09 Jan 2026 08:05:03 +0000");
    expect(formatMessageId("ntf_x")).toBe("<ntf_x@allot.local>");
    expect(formatMessageId("<a.b@example.org>")).toBe("<a.b@example.org>");
    expect(() => formatMessageId("two words")).toThrow();
    expect(() => formatDate("soon")).toThrow();
  });
});

describe("quoted-printable", () => {
  it("escapes '=', non-ASCII and trailing white space, and leaves the rest readable", () => {
    expect(encodeQuotedPrintable("a=b")).toBe("a=3Db");
    expect(encodeQuotedPrintable("café")).toBe("caf=C3=A9");
    expect(encodeQuotedPrintable("end \nnext\t")).toBe("end=20\r\nnext=09");
    expect(encodeQuotedPrintable("in the middle stays")).toBe("in the middle stays");
  });

  it("breaks long lines with soft breaks within 76 characters, never inside an escape", () => {
    // Prepare: lengths around the limit, escapes straddling it, spaces at the break.
    const samples = [
      "x".repeat(76),
      "x".repeat(77),
      `${"x".repeat(75)}=`,
      `${"x".repeat(74)}é`,
      `${"word ".repeat(40)}end`,
      `${" ".repeat(80)}`,
      "é".repeat(100),
      `${"a".repeat(73)} ${"b".repeat(200)}`,
      "😀".repeat(50),
      "",
    ];
    for (const text of samples) {
      // Act
      const encoded = encodeQuotedPrintable(text);
      // Assess
      for (const line of encoded.split("\r\n")) {
        expect(line.length).toBeLessThanOrEqual(76);
        expect(line).not.toMatch(/[ \t]$/);
        // With every whole escape removed, an "=" may remain only as the soft break at the end.
        expect(line.replace(/=[0-9A-F]{2}/g, "")).toMatch(/^[^=]*=?$/);
      }
      expect(decodeQuotedPrintable(encoded)).toBe(text);
    }
    expect(encodeQuotedPrintable("x".repeat(76))).toBe("x".repeat(76));
    expect(encodeQuotedPrintable("x".repeat(77))).toBe(`${"x".repeat(75)}=\r\nxx`);
  });

  it("round-trips arbitrary text, line by line", () => {
    // A small deterministic generator: every code point class, every line length up to 200.
    const alphabet = ["a", " ", "\t", "=", "é", "山", "😀", ".", "-", "\n", "Z", "~"];
    let seed = 7;
    for (let n = 0; n < 300; n++) {
      let text = "";
      const length = n % 200;
      for (let i = 0; i < length; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        text += alphabet[seed % alphabet.length];
      }
      const encoded = encodeQuotedPrintable(text);
      expect(encoded).toMatch(/^[\x21-\x7e \r\n]*$/);
      for (const line of encoded.split("\r\n")) expect(line.length).toBeLessThanOrEqual(76);
      expect(decodeQuotedPrintable(encoded)).toBe(text.replace(/\n/g, "\r\n"));
    }
  });
});
