import {
  compose,
  formatUtc,
  greeting,
  indent,
  type MessageContent,
  plural,
  SIGNATURE,
} from "./template-parts.js";

export interface DigestNotice {
  subject: string;
  text: string;
  /** ISO date-time the notice was recorded. */
  createdAt: string;
}

export interface DigestInput {
  recipientName?: string;
  /** The digest's day, `YYYY-MM-DD` (UTC). */
  day: string;
  /** Oldest first. */
  notices: readonly DigestNotice[];
  /** Notices left waiting for the next digest, beyond these. */
  more: boolean;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const dayInWords = (day: string) => {
  const [y, m, d] = day.split("-").map(Number);
  return `${d} ${MONTHS[(m as number) - 1]} ${y}`;
};

/** The daily digest: each notice whole (its subject, when, its text), oldest first, in one message. */
export const digestMessage = (input: DigestInput): MessageContent => ({
  subject: `Your Allot digest for ${dayInWords(input.day)}: ${plural(input.notices.length, "notice")}`,
  text: compose(
    greeting(input.recipientName),
    `Here ${input.notices.length === 1 ? "is the notice" : `are the ${input.notices.length} notices`} you chose to receive once a day, oldest first.`,
    ...input.notices.map(
      (n, i) =>
        `${i + 1}. ${n.subject}\n   (${formatUtc(n.createdAt)})\n\n${indent(n.text.trimEnd(), "    ")}`,
    ),
    input.more && "More notices are waiting; they follow in the next digest.",
    "Decisions, award letters, deadlines, suspensions, revocations and closeout notices always come at once. You choose how every other kind of notice reaches you (at once, in this digest, or not by mail at all) with PUT /notifications/preferences; every notice stays listed under GET /notifications.",
    SIGNATURE,
  ),
});
