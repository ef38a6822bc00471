import type { LedgerDifference, PartnerBalance, PoolBalance } from "@allot/core/award";
import { Command } from "commander";
import { contextOf } from "../context.js";
import { EXIT } from "../errors.js";
import { money, printJson, processIo } from "../output.js";

interface LedgerCheck {
  programId: string;
  pools: PoolBalance[];
  partners: PartnerBalance[];
  entries: number;
  awards: number;
  differences: LedgerDifference[];
}

const cents = (n: number) => money(n).padStart(18);

export const ledgerCommand = (io = processIo) => {
  const ledger = new Command("ledger").description("The program's append-only credit and cash ledger");
  ledger
    .command("check")
    .description(
      "Recompute every balance of a program from its ledger entries (GET /programs/{programId}/ledger, staff); " +
        "exit 0 when consistent, 1 with each difference",
    )
    .option("--program <programId>", "the program", "model-program")
    .action(async (options: { program: string }, command: Command) => {
      const context = contextOf(command, io);
      const check = await context
        .api()
        .request<LedgerCheck>("GET", `/programs/${encodeURIComponent(options.program)}/ledger`);
      if (check.differences.length) io.setExitCode(EXIT.failure);
      if (context.json) return printJson(io, check);
      const out = (line = "") => io.out(`${line}\n`);
      out(`program ${check.programId}: ${check.entries} entries over ${check.awards} awards`);
      // committed: given to awards net of releases; consumed: the part of it used up.
      out(
        `${"pool".padEnd(36)}${"total".padStart(18)}${"committed".padStart(18)}${"consumed".padStart(18)}${"available".padStart(18)}`,
      );
      for (const p of check.pools) {
        out(
          `${p.pool.padEnd(36)}${cents(p.totalCents)}${cents(p.committedCents)}${cents(p.consumedCents)}${cents(p.availableCents)}`,
        );
      }
      if (check.partners.length) {
        out();
        out(
          `${"strategic partner (credits)".padEnd(36)}${"cap".padStart(18)}${"held".padStart(18)}${"remaining".padStart(18)}`,
        );
        for (const p of check.partners) {
          out(
            `${p.institution.trim().slice(0, 35).padEnd(36)}${cents(p.capCents)}${cents(p.heldCents)}${cents(p.remainingCents)}`,
          );
        }
      }
      out();
      if (check.differences.length === 0) return out("ledger consistent");
      for (const d of check.differences) {
        out(
          `DIFFERENCE ${d.scope} ${d.subject} ${d.field}: expected ${d.expected}, recorded ${d.actual} (${d.message})`,
        );
      }
      out(`${check.differences.length} difference(s)`);
    });
  return ledger;
};
