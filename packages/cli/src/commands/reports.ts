import type { BudgetOverTime, CallFunnel, OutputsReport, Utilization } from "@allot/core/report";
import { Command, Option } from "commander";
import { type Context, contextOf } from "../context.js";
import { money, printJson, processIo, table } from "../output.js";

// Each report is read from the API (staff); `--csv` prints the API's own CSV as it came, so the
// file a spreadsheet opens is the one the API documents.

interface ReportOptions {
  csv?: boolean;
}

const fetchReport = async <T>(
  context: Context,
  path: string,
  options: ReportOptions,
  query: Record<string, string | undefined> = {},
): Promise<T | undefined> => {
  const api = context.api();
  if (options.csv) {
    context.io.out(await api.request<string>("GET", path, { query: { ...query, format: "csv" }, raw: true }));
    return undefined;
  }
  const report = await api.request<T>("GET", path, { query });
  if (context.json) {
    printJson(context.io, report);
    return undefined;
  }
  return report;
};

const csvOption = () => new Option("--csv", "the report as CSV (RFC 4180, a header row) on stdout");
const day = "YYYY-MM-DD";

export const reportsCommand = (io = processIo) => {
  const reports = new Command("reports").description(
    "Staff reports: a call's funnel, a program's budget over time, cluster utilization, outputs (table, --json or --csv)",
  );

  reports
    .command("funnel")
    .description(
      "A call's proposal funnel (GET /calls/{callId}/reports/funnel): submitted, screened out, reviewed, " +
        "approved, awarded (accepted by the grantee), declined, and where the others stand",
    )
    .requiredOption("--call <callId>", "the call")
    .addOption(csvOption())
    .action(async (options: ReportOptions & { call: string }, command: Command) => {
      const context = contextOf(command, io);
      const f = await fetchReport<CallFunnel>(
        context,
        `/calls/${encodeURIComponent(options.call)}/reports/funnel`,
        options,
      );
      if (!f) return;
      const { callId, ...stages } = f;
      io.out(`call ${callId}\n`);
      table(io, Object.entries(stages), [
        { header: "stage", value: ([stage]) => stage },
        { header: "proposals", value: ([, n]) => n, right: true },
      ]);
    });

  reports
    .command("budget")
    .description(
      "A program's budget over time from its ledger (GET /programs/{programId}/reports/budget): committed, " +
        "consumed, released per period and pool, and what awards hold",
    )
    .option("--program <programId>", "the program", "model-program")
    .addOption(new Option("--interval <interval>", "the period").choices(["day", "month"]).default("day"))
    .option("--from <date>", `the first period (${day} or YYYY-MM); default the ledger's first entry`)
    .option("--to <date>", `the last period (${day} or YYYY-MM); default today`)
    .addOption(csvOption())
    .action(
      async (
        options: ReportOptions & { program: string; interval: string; from?: string; to?: string },
        command: Command,
      ) => {
        const context = contextOf(command, io);
        const r = await fetchReport<BudgetOverTime>(
          context,
          `/programs/${encodeURIComponent(options.program)}/reports/budget`,
          options,
          { interval: options.interval, from: options.from, to: options.to },
        );
        if (!r) return;
        io.out(`program ${r.programId}, by ${r.interval}, ${r.from} to ${r.to}\n`);
        table(io, r.periods, [
          { header: "period", value: (p) => p.period },
          { header: "pool", value: (p) => p.pool },
          { header: "committed", value: (p) => money(p.committedCents), right: true },
          { header: "consumed", value: (p) => money(p.consumedCents), right: true },
          { header: "released", value: (p) => money(p.releasedCents), right: true },
          { header: "adjusted", value: (p) => money(p.adjustedCents), right: true },
          { header: "pool committed", value: (p) => money(p.poolCommittedCents), right: true },
          { header: "held", value: (p) => money(p.heldCents), right: true },
        ]);
        io.out("\n");
        table(io, r.totals, [
          { header: "total", value: (t) => t.pool },
          { header: "committed", value: (t) => money(t.committedCents), right: true },
          { header: "consumed", value: (t) => money(t.consumedCents), right: true },
          { header: "released", value: (t) => money(t.releasedCents), right: true },
          { header: "adjusted", value: (t) => money(t.adjustedCents), right: true },
          { header: "pool committed", value: (t) => money(t.poolCommittedCents), right: true },
          { header: "held", value: (t) => money(t.heldCents), right: true },
          { header: "entries", value: (t) => t.entries, right: true },
        ]);
      },
    );

  reports
    .command("utilization")
    .description(
      "The program cluster's utilization per day (GET /programs/{programId}/reports/utilization): reserved " +
        "and used chip-hours against chips × 24; at most 92 days",
    )
    .option("--program <programId>", "the program", "model-program")
    .option("--from <date>", `the first day (${day}); default 29 days before --to`)
    .option("--to <date>", `the last day (${day}); default today`)
    .addOption(csvOption())
    .action(
      async (options: ReportOptions & { program: string; from?: string; to?: string }, command: Command) => {
        const context = contextOf(command, io);
        const u = await fetchReport<Utilization>(
          context,
          `/programs/${encodeURIComponent(options.program)}/reports/utilization`,
          options,
          { from: options.from, to: options.to },
        );
        if (!u) return;
        io.out(`program ${u.programId}: ${u.clusterChips} chips, ${u.from} to ${u.to}\n`);
        table(
          io,
          [...u.days, { day: "total", ...u.totals }],
          [
            { header: "day", value: (d) => d.day },
            { header: "capacity chip-h", value: (d) => d.capacityChipHours, right: true },
            { header: "reserved chip-h", value: (d) => d.reservedChipHours, right: true },
            { header: "used chip-h", value: (d) => d.usedChipHours.toFixed(2), right: true },
            { header: "reserved %", value: (d) => d.reservedPercent.toFixed(2), right: true },
            { header: "used %", value: (d) => d.usedPercent.toFixed(2), right: true },
          ],
        );
      },
    );

  reports
    .command("outputs")
    .description(
      "A program's outputs (GET /programs/{programId}/reports/outputs): papers, repositories, licenses " +
        "(SPDX), and the compliance rate of its bound awards",
    )
    .option("--program <programId>", "the program", "model-program")
    .addOption(csvOption())
    .action(async (options: ReportOptions & { program: string }, command: Command) => {
      const context = contextOf(command, io);
      const r = await fetchReport<OutputsReport>(
        context,
        `/programs/${encodeURIComponent(options.program)}/reports/outputs`,
        options,
      );
      if (!r) return;
      io.out(`program ${r.programId}, as of ${r.asOf}\n`);
      table(
        io,
        [r.papers, { ...r.repositories, doi: undefined, arxiv: undefined }],
        [
          { header: "outputs", value: (o) => (o.doi === undefined ? "repositories" : "papers") },
          { header: "registered", value: (o) => o.registered, right: true },
          { header: "verified", value: (o) => o.verified, right: true },
          { header: "pending", value: (o) => o.pending, right: true },
          { header: "rejected", value: (o) => o.rejected, right: true },
        ],
      );
      io.out("\n");
      table(io, r.licenses, [
        { header: "license", value: (l) => l.license },
        { header: "repositories", value: (l) => l.repositories, right: true },
        { header: "permissive", value: (l) => (l.permissive ? "yes" : "no") },
      ]);
      io.out("\n");
      const a = r.awards;
      io.out(
        `bound awards ${a.bound}: ${a.compliant} compliant (rate ${a.complianceRate}), ` +
          `${a.withVerifiedPaper} with a verified paper, ${a.withVerifiedRepository} with a verified repository, ` +
          `${a.paperOverdue} paper(s) and ${a.repositoryOverdue} repositor(ies) overdue\n`,
      );
    });

  return reports;
};
