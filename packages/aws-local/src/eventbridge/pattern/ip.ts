import { invalid } from "./errors.js";

export interface IpRange {
  readonly bottom: Uint8Array;
  readonly top: Uint8Array;
}

// AWS (event-ruler) only treats these two shapes as IP literals; anything else is an ordinary string.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIpAddress(text: string): Uint8Array | undefined {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return undefined;
}

// Java's parser (which AWS uses) reads octets as decimal even with leading zeros, but caps the literal at 15 chars.
function parseIpv4(text: string): Uint8Array | undefined {
  if (text.length > 15) return undefined;
  const bytes = new Uint8Array(4);
  for (const [index, octet] of text.split(".").entries()) {
    const value = Number(octet);
    if (value > 255) return undefined;
    bytes[index] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const [headText = "", tailText] = halves;
  const head = headText === "" ? [] : headText.split(":");
  const tail = tailText === undefined || tailText === "" ? [] : tailText.split(":");
  const compressed = tailText !== undefined;
  const groupCount = head.length + tail.length;
  if (compressed ? groupCount > 7 : groupCount !== 8) return undefined;
  const groups = [...head, ...new Array<string>(8 - groupCount).fill("0"), ...tail];
  const bytes = new Uint8Array(16);
  for (const [index, group] of groups.entries()) {
    if (!IPV6_GROUP.test(group)) return undefined;
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  }
  return unmapIpv4(bytes);
}

// Java's InetAddress turns IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) into plain IPv4 ones, and AWS inherits that.
function unmapIpv4(bytes: Uint8Array): Uint8Array {
  for (let index = 0; index < 10; index++) if (bytes[index] !== 0) return bytes;
  if (bytes[10] !== 0xff || bytes[11] !== 0xff) return bytes;
  return bytes.slice(12);
}

export function parseCidr(text: string, where: string): IpRange {
  const parts = text.split("/");
  // Java's String.split drops trailing empty strings, so AWS accepts "10.0.0.0/24/".
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  const [address, maskText] = parts;
  if (parts.length !== 2 || address === undefined || maskText === undefined) {
    invalid(`CIDR ${JSON.stringify(text)} at ${where} must contain exactly one "/", e.g. "10.0.0.0/24"`);
  }
  if (!/^[+-]?[0-9]+$/.test(maskText)) {
    invalid(
      `CIDR ${JSON.stringify(text)} at ${where} has mask bits ${JSON.stringify(maskText)}; they must be an integer`,
    );
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) invalid(`CIDR ${JSON.stringify(text)} at ${where} has negative mask bits`);
  const ip = parseIpAddress(address);
  if (ip === undefined) {
    invalid(
      `CIDR ${JSON.stringify(text)} at ${where}: ${JSON.stringify(address)} is not an IPv4 or IPv6 address`,
    );
  }
  const totalBits = ip.length * 8;
  // AWS rejects full-length masks (/32, /128); a single address is matched with a plain string value instead.
  if (maskBits >= totalBits) {
    invalid(
      `CIDR ${JSON.stringify(text)} at ${where}: ${ip.length === 4 ? "IPv4" : "IPv6"} mask bits must be ` +
        `between 0 and ${totalBits - 1}; to match one address use it as a plain value, e.g. [${JSON.stringify(address)}]`,
    );
  }
  const bottom = new Uint8Array(ip.length);
  const top = new Uint8Array(ip.length);
  for (let index = 0; index < ip.length; index++) {
    const fixedBits = Math.min(8, Math.max(0, maskBits - index * 8));
    const hostMask = 0xff >> fixedBits;
    const byte = ip[index] ?? 0;
    bottom[index] = byte & ~hostMask & 0xff;
    top[index] = byte | hostMask;
  }
  return { bottom, top };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function ipInRange(ip: Uint8Array, range: IpRange): boolean {
  return (
    ip.length === range.bottom.length &&
    compareBytes(ip, range.bottom) >= 0 &&
    compareBytes(ip, range.top) <= 0
  );
}

export function sameIp(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}
