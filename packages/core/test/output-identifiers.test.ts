import { describe, expect, it } from "vitest";
import {
  normalizeArxivId,
  normalizeDoi,
  parseGitHubRepository,
  parsePaperRef,
} from "../src/output/identifiers.js";

describe("DOIs as grantees paste them", () => {
  it.each([
    ["10.1038/nphys1170", "10.1038/nphys1170"],
    ["10.1038/NPHYS1170", "10.1038/nphys1170"],
    ["https://doi.org/10.1038/nphys1170", "10.1038/nphys1170"],
    ["http://dx.doi.org/10.1038/nphys1170", "10.1038/nphys1170"],
    ["doi:10.1038/nphys1170", "10.1038/nphys1170"],
    ["  DOI: 10.5281/zenodo.1234567 ", "10.5281/zenodo.1234567"],
    ["https://doi.org/10.1002%2F(SICI)1097-4636", "10.1002/(sici)1097-4636"],
    ["10.1000.10/123456", "10.1000.10/123456"],
  ])("%j → %j", (input, doi) => {
    expect(normalizeDoi(input)).toBe(doi);
  });

  it.each([
    ["11.1038/x"],
    ["10.12/abc"],
    ["10.1038/"],
    ["nphys1170"],
    ["10.1038/a b"],
    ["https://doi.org/%E0%A4%A"],
  ])("%j is not a DOI", (input) => {
    expect(normalizeDoi(input)).toBeUndefined();
  });
});

describe("arXiv ids as grantees paste them", () => {
  it.each([
    ["2401.01234", "2401.01234"],
    ["2401.01234v2", "2401.01234"],
    ["arXiv:2401.01234v12", "2401.01234"],
    ["https://arxiv.org/abs/2401.01234v3", "2401.01234"],
    ["https://arxiv.org/pdf/2401.01234v3.pdf", "2401.01234"],
    ["0706.0001", "0706.0001"],
    ["hep-th/9901001", "hep-th/9901001"],
    ["math.GT/0309136v1", "math.GT/0309136"],
  ])("%j → %j", (input, id) => {
    expect(normalizeArxivId(input)).toBe(id);
  });

  it.each([["2401.123"], ["arXiv:"], ["2401.01234v"], ["hep-th/990100"], ["10.1038/x"]])(
    "%j is not an arXiv id",
    (input) => {
      expect(normalizeArxivId(input)).toBeUndefined();
    },
  );

  it("a paper reference is a DOI first, then an arXiv id", () => {
    expect(parsePaperRef("doi:10.48550/arXiv.2401.01234")).toEqual({
      kind: "doi",
      doi: "10.48550/arxiv.2401.01234",
    });
    expect(parsePaperRef("arXiv:2401.01234v2")).toEqual({ kind: "arxiv", arxivId: "2401.01234" });
    expect(parsePaperRef("a title")).toBeUndefined();
  });
});

describe("GitHub repositories as grantees paste them", () => {
  it.each([
    ["https://github.com/octo-org/hello-world", "octo-org", "hello-world"],
    ["https://github.com/octo-org/hello-world.git", "octo-org", "hello-world"],
    ["github.com/octo-org/hello.world/tree/main/src", "octo-org", "hello.world"],
    ["https://www.github.com/Octo/Repo?tab=readme", "Octo", "Repo"],
    ["git@github.com:octo/repo.git", "octo", "repo"],
    ["octo/repo", "octo", "repo"],
  ])("%j → %s/%s", (input, owner, name) => {
    expect(parseGitHubRepository(input)).toEqual({ owner, name });
  });

  it.each([
    ["https://gitlab.com/octo/repo"],
    ["https://github.com/octo"],
    ["https://github.com/-octo/repo"],
    ["https://github.com/octo--x-/repo"],
    ["https://github.com/octo/.."],
    ["octo/re po"],
    [`${"a".repeat(40)}/repo`],
  ])("%j is not a GitHub repository", (input) => {
    expect(parseGitHubRepository(input)).toBeUndefined();
  });
});
