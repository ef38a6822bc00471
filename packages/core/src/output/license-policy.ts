import parse from "spdx-expression-parse";

// The program's obligation is a permissive license: one that lets anyone reuse the work,
// closed or open, with attribution at most. The list follows the SPDX license list's
// permissive licenses; copyleft (GPL, LGPL, AGPL, MPL, EPL) and non-licenses do not qualify.
export const PERMISSIVE_LICENSES = [
  "0BSD",
  "Apache-2.0",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "BSL-1.0",
  "ISC",
  "MIT",
  "MIT-0",
  "Unlicense",
  "Zlib",
  "CC0-1.0",
  "UPL-1.0",
  "PostgreSQL",
  "NCSA",
  "X11",
  "BSD-1-Clause",
  "BlueOak-1.0.0",
] as const;

export type LicenseVerdict =
  | { permissive: true; spdx: string }
  | { permissive: false; spdx: string | null; reason: string };

const permissive = new Set<string>(PERMISSIVE_LICENSES);

/**
 * Whether the parsed expression lets the work be used under permissive terms alone. `OR` is
 * the user's choice (either side will do), `AND` binds both. An exception (`WITH`) only ever
 * adds permissions (SPDX's definition), so `Apache-2.0 WITH LLVM-exception` is as permissive
 * as Apache-2.0 and `GPL-2.0-only WITH Classpath-exception-2.0` stays copyleft; "or later"
 * (`+`) leaves the named version available, so it judges as that version.
 */
const allowsPermissiveUse = (node: parse.Info): boolean =>
  "conjunction" in node
    ? node.conjunction === "or"
      ? allowsPermissiveUse(node.left) || allowsPermissiveUse(node.right)
      : allowsPermissiveUse(node.left) && allowsPermissiveUse(node.right)
    : permissive.has(node.license);

/**
 * Whether an SPDX expression lets the work be used permissively: `MIT OR GPL-3.0-only` does
 * (the user may choose MIT), `MIT AND GPL-3.0-only` does not. No license, GitHub's
 * "NOASSERTION" (a license file it could not recognize) and invalid expressions are not.
 * Identifiers are matched as the SPDX list spells them, which is how GitHub reports them.
 */
export const judgeLicense = (spdx: string | null | undefined): LicenseVerdict => {
  const expression = spdx?.trim();
  if (!expression) return { permissive: false, spdx: null, reason: "the repository has no license" };
  if (expression === "NOASSERTION")
    return {
      permissive: false,
      spdx: expression,
      reason: "the repository's license is not a recognized SPDX license",
    };
  let tree: parse.Info;
  try {
    tree = parse(expression);
  } catch {
    return { permissive: false, spdx: expression, reason: `"${expression}" is not a valid SPDX expression` };
  }
  return allowsPermissiveUse(tree)
    ? { permissive: true, spdx: expression }
    : { permissive: false, spdx: expression, reason: `${expression} is not a permissive license` };
};
