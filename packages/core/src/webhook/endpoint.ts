import { isIP } from "node:net";

// Where a subscription may deliver, checked at creation and update. HTTPS only, except loopback
// HTTP where the deployment allows it (locally). A literal private, loopback, link-local or
// metadata address is refused up front where loopback is not allowed; the sender checks again
// after DNS resolution, which is the check that counts (a name can resolve anywhere).

export const MAX_URL_LENGTH = 2048;

const isLoopbackHost = (host: string): boolean => {
  if (host === "localhost") return true;
  if (host === "[::1]") return true;
  return isIP(host) === 4 && host.startsWith("127.");
};

const ipv4Octets = (host: string): number[] | undefined =>
  isIP(host) === 4 ? host.split(".").map(Number) : undefined;

/** A literal address that is not a public unicast one (v4 private/loopback/link-local/CGNAT; v6 likewise). */
const isInternalLiteral = (host: string): boolean => {
  const v4 = ipv4Octets(host);
  if (v4) {
    const [a = 0, b = 0] = v4;
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const v6 = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1).toLowerCase() : undefined;
  if (v6 === undefined || isIP(v6) !== 6) return false;
  return (
    v6 === "::" ||
    v6 === "::1" ||
    v6.startsWith("fe8") ||
    v6.startsWith("fe9") ||
    v6.startsWith("fea") ||
    v6.startsWith("feb") ||
    v6.startsWith("fc") ||
    v6.startsWith("fd") ||
    v6.startsWith("::ffff:") ||
    v6.startsWith("fd00:ec2")
  );
};

/** Why the URL cannot be a webhook endpoint, or undefined when it can. */
export const endpointProblem = (raw: string, allowLoopback: boolean): string | undefined => {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  // Inferred, not annotated: infra's type-check sees the DOM's URL type, the code Node's.
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url) return "must be an absolute URL such as https://example.org/webhooks";
  if (url.username || url.password) return "must not contain credentials (user:password@)";
  if (raw.includes("#")) return "must not contain a fragment (#...)";
  const host = url.hostname.toLowerCase();
  if (url.protocol === "http:") {
    if (!isLoopbackHost(host)) return "must use https: (http: is allowed only for loopback hosts)";
    if (!allowLoopback) return "must use https: (loopback endpoints are not allowed in this deployment)";
    return undefined;
  }
  if (url.protocol !== "https:") return "must use https:";
  if (!allowLoopback && (isLoopbackHost(host) || isInternalLiteral(host)))
    return "must not point at a private, loopback, link-local or metadata address";
  return undefined;
};
