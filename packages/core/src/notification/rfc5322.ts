// A plain-text mail as RFC 5322 + MIME (RFCs 2045 and 2047) text, written out by hand because it is
// small and exact: the local outbox must hold files any mail client opens, and the same bytes
// on every re-send so that a retried notification overwrites its file with identical content.
// Everything emitted is 7-bit ASCII with CRLF line ends; UTF-8 travels encoded.

export interface Address {
  email: string;
  name?: string;
}

export interface MessageInput {
  /** `"Name <a@b>"`, a bare address, or an Address. */
  from: string | Address;
  to: string | Address;
  subject: string;
  text: string;
  date: Date | string;
  /** A bare id (`ntf_…`, becomes `<ntf_…@allot.local>`), `left@right`, or a full `<left@right>`. */
  messageId: string;
  /** Extra unstructured headers, such as Auto-Submitted. */
  headers?: Record<string, string>;
}

const CRLF = "\r\n";
const MESSAGE_ID_DOMAIN = "allot.local";
/** RFC 2047 §2: an encoded word is at most 75 characters, a line holding one at most 76. */
const MAX_ENCODED_WORD = 75;
const MAX_ENCODED_LINE = 76;
/** RFC 5322 §2.1.1: lines SHOULD stay within 78 characters. */
const MAX_LINE = 78;
/** RFC 2045 §6.7 (5): quoted-printable lines are at most 76 characters, the soft break's `=` included. */
const MAX_QP_LINE = 76;

const RESERVED = new Set([
  "from",
  "to",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
]);

const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const DOT_ATOM = new RegExp(`^[${ATEXT}]+(\\.[${ATEXT}]+)*$`);
const PHRASE_OF_ATOMS = new RegExp(`^[${ATEXT}]+( [${ATEXT}]+)*$`);
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const utf8 = new TextEncoder();
const hex = (byte: number) => `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;

/** Header values are one logical line: any line break in the input would start a new header. */
const oneLine = (value: string) =>
  [...value.replace(/\r\n|\r|\n/g, " ")]
    .filter((c) => {
      const code = c.charCodeAt(0);
      return code === 9 || (code >= 32 && code !== 127);
    })
    .join("");

// ---------------------------------------------------------------------------------------------
// Addresses

/** Parses `"Name" <a@b>`, `Name <a@b>` or `a@b`; the display name may be absent. */
export const parseAddress = (value: string): Address => {
  const trimmed = oneLine(value).trim();
  const angle = /^(.*?)\s*<([^<>\s]+)>$/.exec(trimmed);
  const email = angle ? (angle[2] as string) : trimmed;
  let name = angle ? (angle[1] as string).trim() : "";
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) {
    name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  assertEmail(email);
  return name ? { email, name } : { email };
};

const assertEmail = (email: string) => {
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  // Quoted local parts and address literals are legal but never needed here; refusing them keeps
  // every address we write a plain dot-atom that no header parser can misread.
  if (at < 1 || !DOT_ATOM.test(local) || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain)) {
    throw new RangeError(`"${email}" is not an address this mailer can write`);
  }
};

/**
 * An address as words of a From/To header: plain atoms as they are, other ASCII as a quoted
 * string, anything else as encoded words. `lead` is the header's "Name: ", which the first
 * encoded word must leave room for.
 */
const addressWords = (address: string | Address, lead = ""): string[] => {
  const { email, name } = typeof address === "string" ? parseAddress(address) : address;
  assertEmail(email);
  const display = name ? oneLine(name).trim() : "";
  if (!display) return [email];
  if (!PRINTABLE_ASCII.test(display)) return [...encodedWords(display, lead.length), `<${email}>`];
  if (PHRASE_OF_ATOMS.test(display)) return [...display.split(" "), `<${email}>`];
  return [`"${display.replace(/(["\\])/g, "\\$1")}"`, `<${email}>`];
};

/** One address on one line, as SES and other APIs that take a formatted address want it. */
export const formatAddress = (address: string | Address): string => addressWords(address).join(" ");

const addressHeader = (name: string, address: string | Address) =>
  fold(name, addressWords(address, `${name}: `), MAX_ENCODED_LINE);

// ---------------------------------------------------------------------------------------------
// Headers

/**
 * RFC 2047 "Q" encoded words for UTF-8 text, each within 75 characters, never splitting a
 * character's bytes across two words (§5). Only the characters §5 (3) allows in a phrase stay
 * literal, so the same words are valid in a Subject and in a display name.
 */
export const encodedWords = (text: string, firstLineUsed = 0): string[] => {
  const prefix = "=?UTF-8?Q?";
  const suffix = "?=";
  const words: string[] = [];
  let current = "";
  let budget = Math.min(MAX_ENCODED_WORD, MAX_ENCODED_LINE - firstLineUsed) - prefix.length - suffix.length;
  for (const char of text) {
    let piece = "";
    if (/^[A-Za-z0-9!*+\-/]$/.test(char)) piece = char;
    else if (char === " ") piece = "_";
    else for (const byte of utf8.encode(char)) piece += hex(byte);
    if (current.length + piece.length > budget && current) {
      words.push(prefix + current + suffix);
      current = "";
      // Later words start a folded line after one space.
      budget = Math.min(MAX_ENCODED_WORD, MAX_ENCODED_LINE - 1) - prefix.length - suffix.length;
    }
    current += piece;
  }
  if (current || words.length === 0) words.push(prefix + current + suffix);
  return words;
};

/** An unstructured header (RFC 5322 §2.2.3), folded at spaces, encoded when it must be. */
const unstructured = (name: string, rawValue: string): string => {
  const value = oneLine(rawValue).trim();
  const lead = `${name}: `;
  // "=?" in plain text could be read back as an encoded word; overlong words cannot be folded.
  const mustEncode =
    !PRINTABLE_ASCII.test(value) ||
    value.includes("=?") ||
    value.split(" ").some((w) => w.length > MAX_LINE - lead.length);
  return mustEncode
    ? fold(name, encodedWords(value, lead.length), MAX_ENCODED_LINE)
    : fold(name, value.split(/ +/), MAX_LINE);
};

/**
 * `Name: word word …`, a line broken before a space (folding, RFC 5322 §2.2.3) whenever the next
 * word would take it past `max`; a folded line starts with that space.
 */
const fold = (name: string, words: string[], max: number) => {
  const lines: string[] = [];
  let line = `${name}:`;
  words.forEach((word, i) => {
    if (i > 0 && line.length + 1 + word.length > max) {
      lines.push(line);
      line = "";
    }
    line += ` ${word}`;
  });
  lines.push(line);
  return lines.join(CRLF);
};

/** RFC 5322 §3.3 date-time, in UTC: `Fri, 05 Mar 2027 17:00:00 +0000`. */
export const formatDate = (date: Date | string): string => {
  const d = typeof date === "string" ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) throw new RangeError(`${String(date)} is not a date`);
  // toUTCString gives the RFC 7231 form; its "GMT" is only an obsolete zone in RFC 5322.
  return d.toUTCString().replace(/ GMT$/, " +0000");
};

/** `<left@right>`: the id's left part must be a dot-atom so the header parses unquoted. */
export const formatMessageId = (id: string): string => {
  const bare = id.startsWith("<") && id.endsWith(">") ? id.slice(1, -1) : id;
  const [left, right = MESSAGE_ID_DOMAIN, ...extra] = bare.split("@");
  if (!left || extra.length || !DOT_ATOM.test(left) || !DOT_ATOM.test(right)) {
    throw new RangeError(`"${id}" cannot be a Message-ID`);
  }
  return `<${left}@${right}>`;
};

const headerName = (name: string) => {
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) throw new RangeError(`"${name}" is not a header name`);
  if (RESERVED.has(name.toLowerCase())) throw new RangeError(`${name} is set by renderMessage itself`);
  return name;
};

// ---------------------------------------------------------------------------------------------
// Body

/**
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text whose line breaks become CRLF: `=` and every
 * byte outside printable ASCII escaped, a space or tab at a line's end escaped (transports strip
 * trailing whitespace), and lines longer than 76 characters broken with soft breaks, never
 * inside an `=XX` escape.
 */
export const encodeQuotedPrintable = (text: string): string =>
  text
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const bytes = utf8.encode(line);
      const tokens: string[] = [];
      bytes.forEach((byte, i) => {
        const last = i === bytes.length - 1;
        const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
        tokens.push(literal ? String.fromCharCode(byte) : hex(byte));
      });
      return softBreak(tokens);
    })
    .join(CRLF);

const softBreak = (tokens: string[]) => {
  const out: string[] = [];
  let line = "";
  let restLength = tokens.reduce((n, t) => n + t.length, 0);
  for (const token of tokens) {
    // The line may run to 76 only when everything left fits; otherwise it keeps a column for "=".
    if (line.length + restLength > MAX_QP_LINE && line.length + token.length > MAX_QP_LINE - 1) {
      out.push(`${line}=`);
      line = "";
    }
    line += token;
    restLength -= token.length;
  }
  out.push(line);
  return out.join(CRLF);
};

// ---------------------------------------------------------------------------------------------

/** The whole message: headers, a blank line, the quoted-printable body. */
export const renderMessage = (input: MessageInput): string => {
  const headers = [
    addressHeader("From", input.from),
    addressHeader("To", input.to),
    unstructured("Subject", input.subject),
    `Date: ${formatDate(input.date)}`,
    `Message-ID: ${formatMessageId(input.messageId)}`,
    ...Object.entries(input.headers ?? {}).map(([name, value]) => unstructured(headerName(name), value)),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: quoted-printable",
  ];
  return `${headers.join(CRLF)}${CRLF}${CRLF}${encodeQuotedPrintable(input.text)}`;
};
