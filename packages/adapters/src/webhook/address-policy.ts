import ipaddr from "ipaddr.js";

// Which addresses a webhook may connect to: public unicast only. Checked on every resolved address
// (and on IP literals) before connecting, so a subscription cannot reach the VPC, the instance
// metadata service or the host itself (SSRF).

/** The instance metadata endpoints, refused whatever their range says. */
const METADATA = ["169.254.169.254", "fd00:ec2::254"].map((a) => ipaddr.parse(a).toNormalizedString());

/** Why an address is refused, or undefined when a webhook may connect to it. */
export const refusedAddress = (address: string, options: { allowLoopback: boolean }): string | undefined => {
  if (!ipaddr.isValid(address)) return "not an IP address";
  let parsed = ipaddr.parse(address);
  if (METADATA.includes(parsed.toNormalizedString())) return "the metadata address";
  // ::ffff:a.b.c.d reaches a.b.c.d: judge the IPv4 address it carries.
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    if (METADATA.includes(parsed.toNormalizedString())) return "the metadata address";
  }
  const range = parsed.range();
  if (range === "unicast") return undefined;
  if (range === "loopback" && options.allowLoopback) return undefined;
  // Everything else: private, loopback, linkLocal, uniqueLocal, carrierGradeNat, multicast,
  // unspecified, broadcast, reserved, and the translation ranges (6to4, teredo, rfc6052, ...),
  // whose embedded IPv4 address could be anything.
  return `a ${range} address`;
};

/** An IP literal of a URL's host (`[::1]` unbracketed), or undefined for a name. */
export const ipLiteral = (hostname: string): string | undefined => {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : undefined;
};
