// A deliberately independent reader of what renderMessage writes: it shares no code with the
// writer, so a round trip through it proves the encoding, not just that two halves agree.

export interface ParsedMessage {
  headers: Map<string, string>;
  /** Header names in order, as written. */
  names: string[];
  body: string;
}

const decodeBytes = (bytes: number[]) =>
  new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));

/** RFC 2047 encoded words, Q or B; whitespace between two adjacent words is dropped (§6.2). */
export const decodeWords = (value: string): string =>
  value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?[^?]+\?[QqBb]\?[^?]*\?=)/g, "$1")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset: string, enc: string, data: string) => {
      if (charset.toLowerCase() !== "utf-8") throw new Error(`unexpected charset ${charset}`);
      if (enc.toUpperCase() === "B") return Buffer.from(data, "base64").toString("utf8");
      const bytes: number[] = [];
      for (let i = 0; i < data.length; i++) {
        const c = data[i] as string;
        if (c === "_") bytes.push(0x20);
        else if (c === "=") {
          bytes.push(Number.parseInt(data.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(c.charCodeAt(0));
      }
      return decodeBytes(bytes);
    });

export const decodeQuotedPrintable = (body: string): string => {
  const bytes: number[] = [];
  const lines = body.split("\r\n");
  lines.forEach((line, index) => {
    const soft = line.endsWith("=");
    const content = soft ? line.slice(0, -1) : line;
    for (let i = 0; i < content.length; i++) {
      const c = content[i] as string;
      if (c === "=") {
        const hex = content.slice(i + 1, i + 3);
        if (!/^[0-9A-F]{2}$/.test(hex)) throw new Error(`bad escape "=${hex}" in line ${index + 1}`);
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
      } else bytes.push(c.charCodeAt(0));
    }
    if (!soft && index < lines.length - 1) bytes.push(0x0d, 0x0a);
  });
  return decodeBytes(bytes);
};

export const parseMessage = (raw: string): ParsedMessage => {
  const split = raw.indexOf("\r\n\r\n");
  if (split < 0) throw new Error("no blank line between header and body");
  const headerText = raw.slice(0, split);
  const headers = new Map<string, string>();
  const names: string[] = [];
  // Unfolding (RFC 5322 §2.2.3): a CRLF followed by white space is removed, the space kept.
  for (const line of headerText.replace(/\r\n(?=[ \t])/g, "").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 1) throw new Error(`not a header line: ${line}`);
    const name = line.slice(0, colon);
    names.push(name);
    headers.set(name.toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const encoding = headers.get("content-transfer-encoding")?.toLowerCase();
  const body = raw.slice(split + 4);
  return { headers, names, body: encoding === "quoted-printable" ? decodeQuotedPrintable(body) : body };
};
