import type { ProgramCompliance } from "../output/compliance.js";
import { judgeLicense } from "../output/license-policy.js";
import type { Output, OutputStatus } from "../output/schema.js";
import type { CsvTable } from "./csv.js";

type ByStatus = Record<OutputStatus, number>;

/**
 * A program's outputs and compliance. Counts are of outputs (an award may register several),
 * by their current status (a staff override included); licenses are those the code host last
 * reported for each checked repository; the award figures are of bound awards (active,
 * suspended, closing or closed) as the compliance judgement counts them.
 */
export interface OutputsReport {
  programId: string;
  asOf: string;
  papers: ByStatus & { registered: number; doi: number; arxiv: number };
  repositories: ByStatus & { registered: number };
  /** Per SPDX expression as reported ("none" without a license file), most used first. */
  licenses: Array<{ license: string; repositories: number; permissive: boolean }>;
  awards: {
    bound: number;
    withVerifiedPaper: number;
    withVerifiedRepository: number;
    compliant: number;
    /** compliant / bound, four decimals; 1 without bound awards. */
    complianceRate: number;
    paperOverdue: number;
    repositoryOverdue: number;
  };
}

const byStatus = (outputs: Output[]): ByStatus => ({
  pending: outputs.filter((o) => o.status === "pending").length,
  verified: outputs.filter((o) => o.status === "verified").length,
  rejected: outputs.filter((o) => o.status === "rejected").length,
});

export const outputsReportOf = (outputs: Output[], compliance: ProgramCompliance): OutputsReport => {
  const own = outputs.filter((o) => o.programId === compliance.programId);
  const papers = own.filter((o) => o.kind === "paper");
  const repositories = own.filter((o) => o.kind === "repository");
  const licenses = new Map<string, number>();
  for (const r of repositories) {
    const spdx = r.verification?.spdxId;
    if (spdx === undefined) continue;
    const license = spdx ?? "none";
    licenses.set(license, (licenses.get(license) ?? 0) + 1);
  }
  const bound = new Set(compliance.awards.map((a) => a.awardId));
  const verifiedBy = (kind: Output["kind"]) =>
    new Set(
      own
        .filter((o) => o.kind === kind && o.status === "verified" && bound.has(o.awardId))
        .map((o) => o.awardId),
    ).size;
  const overdue = (kind: Output["kind"]) =>
    compliance.awards.filter((a) => a.obligations.some((o) => o.kind === kind && o.status === "overdue"))
      .length;
  return {
    programId: compliance.programId,
    asOf: compliance.asOf,
    papers: {
      registered: papers.length,
      ...byStatus(papers),
      doi: papers.filter((p) => p.paper?.kind === "doi").length,
      arxiv: papers.filter((p) => p.paper?.kind === "arxiv").length,
    },
    repositories: { registered: repositories.length, ...byStatus(repositories) },
    licenses: [...licenses]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([license, count]) => ({
        license,
        repositories: count,
        permissive: judgeLicense(license === "none" ? null : license).permissive,
      })),
    awards: {
      bound: compliance.total,
      withVerifiedPaper: verifiedBy("paper"),
      withVerifiedRepository: verifiedBy("repository"),
      compliant: compliance.compliant,
      complianceRate: compliance.rate,
      paperOverdue: overdue("paper"),
      repositoryOverdue: overdue("repository"),
    },
  };
};

/** Long format, one figure a row: (section, item, value); licenses as `licenses, <SPDX>, count`. */
export const outputsTable = (r: OutputsReport): CsvTable => ({
  header: ["programId", "section", "item", "value"],
  rows: [
    ...Object.entries(r.papers).map(([item, v]) => [r.programId, "papers", item, v]),
    ...Object.entries(r.repositories).map(([item, v]) => [r.programId, "repositories", item, v]),
    ...r.licenses.map((l) => [
      r.programId,
      l.permissive ? "licenses (permissive)" : "licenses (not permissive)",
      l.license,
      l.repositories,
    ]),
    ...Object.entries(r.awards).map(([item, v]) => [r.programId, "awards", item, v]),
  ],
});
