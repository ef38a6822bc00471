import { describe, expect, it } from "vitest";
import { judgeLicense, PERMISSIVE_LICENSES } from "../src/output/license-policy.js";

describe("which licenses meet the open-source obligation", () => {
  it.each(PERMISSIVE_LICENSES.map((id) => [id]))("%s alone is permissive", (id) => {
    expect(judgeLicense(id)).toEqual({ permissive: true, spdx: id });
  });

  it.each([
    ["GPL-3.0-only"],
    ["GPL-2.0-or-later"],
    // GitHub still reports the deprecated ids of the GPL family.
    ["GPL-3.0"],
    ["AGPL-3.0-only"],
    ["LGPL-2.1-only"],
    ["MPL-2.0"],
    ["EPL-2.0"],
    ["CC-BY-4.0"],
    ["CC-BY-NC-4.0"],
    ["LicenseRef-Proprietary"],
  ])("%s is not permissive", (id) => {
    expect(judgeLicense(id)).toMatchObject({
      permissive: false,
      spdx: id,
      reason: `${id} is not a permissive license`,
    });
  });

  it.each([
    ["MIT OR Apache-2.0", true],
    // The user may choose the permissive side of a dual license.
    ["MIT OR GPL-3.0-only", true],
    ["LGPL-2.1-only OR BSD-3-Clause", true],
    ["MIT AND Apache-2.0", true],
    // Both bind: the copyleft side follows the work.
    ["MIT AND GPL-3.0-only", false],
    ["(MIT OR Apache-2.0) AND BSD-3-Clause", true],
    ["(MIT OR GPL-3.0-only) AND LGPL-2.1-only", false],
    ["(GPL-3.0-only OR LGPL-3.0-only) AND MIT", false],
    ["BSD-3-Clause OR LicenseRef-Custom", true],
    ["Unlicense AND LicenseRef-Custom", false],
  ])("%s → permissive %s", (expression, expected) => {
    expect(judgeLicense(expression).permissive).toBe(expected);
  });

  it("an exception only adds permissions: Apache-2.0 WITH LLVM-exception is permissive", () => {
    expect(judgeLicense("Apache-2.0 WITH LLVM-exception")).toEqual({
      permissive: true,
      spdx: "Apache-2.0 WITH LLVM-exception",
    });
  });

  it("and a copyleft license with an exception stays copyleft", () => {
    expect(judgeLicense("GPL-2.0-only WITH Classpath-exception-2.0").permissive).toBe(false);
  });

  it("'or later' judges as the version it names", () => {
    expect(judgeLicense("Apache-2.0+").permissive).toBe(true);
    expect(judgeLicense("GPL-2.0+").permissive).toBe(false);
  });

  it.each([[null], [undefined], [""], ["   "]])("no license (%j) is not permissive", (spdx) => {
    expect(judgeLicense(spdx)).toEqual({
      permissive: false,
      spdx: null,
      reason: "the repository has no license",
    });
  });

  it("GitHub's NOASSERTION (a license file it did not recognize) is not permissive", () => {
    expect(judgeLicense("NOASSERTION")).toEqual({
      permissive: false,
      spdx: "NOASSERTION",
      reason: "the repository's license is not a recognized SPDX license",
    });
  });

  it.each([["mit license"], ["MIT OR"], ["other"], ["(MIT"]])("%j is not a valid expression", (text) => {
    expect(judgeLicense(text)).toEqual({
      permissive: false,
      spdx: text,
      reason: `"${text}" is not a valid SPDX expression`,
    });
  });

  it("every id on the permissive list is on the SPDX list (a typo would never match)", () => {
    for (const id of PERMISSIVE_LICENSES) expect(() => judgeLicense(`${id} AND MIT`)).not.toThrow();
    for (const id of PERMISSIVE_LICENSES) expect(judgeLicense(`${id} AND MIT`).permissive).toBe(true);
  });
});
