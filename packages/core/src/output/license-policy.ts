import parse from "spdx-expression-parse";
import satisfies from "spdx-satisfies";

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
] as const;

export type LicenseVerdict =
  | { permissive: true; spdx: string }
  | { permissive: false; spdx: string | null; reason: string };

/**
 * Whether an SPDX expression lets the work be used permissively: `MIT OR GPL-3.0-only` does
 * (the user may choose MIT), `MIT AND GPL-3.0-only` does not. No license, GitHub's
 * "NOASSERTION" (a license file it could not recognize) and invalid expressions are not.
 */
export const judgeLicense = (spdx: string | null | undefined): LicenseVerdict => {
  if (!spdx) return { permissive: false, spdx: null, reason: "the repository has no license" };
  if (spdx === "NOASSERTION")
    return { permissive: false, spdx, reason: "the repository's license is not a recognized SPDX license" };
  try {
    parse(spdx);
  } catch {
    return { permissive: false, spdx, reason: `"${spdx}" is not a valid SPDX expression` };
  }
  try {
    return satisfies(spdx, [...PERMISSIVE_LICENSES])
      ? { permissive: true, spdx }
      : { permissive: false, spdx, reason: `${spdx} is not a permissive license` };
  } catch {
    return { permissive: false, spdx, reason: `${spdx} could not be checked against the permissive list` };
  }
};
