import { AwardStatus } from "@allot/core/award";
import { Command, Option } from "commander";
import { contextOf } from "../context.js";
import { details, money, printJson, processIo, table } from "../output.js";

interface Award {
  awardId: string;
  proposalId: string;
  status: string;
  institution: string;
  cashCents: number;
  creditsCents: number;
}

export const awardsCommand = (io = processIo) => {
  const awards = new Command("awards").description("Awards of a program");
  awards
    .command("list")
    .description("List a program's awards (GET /awards?programId=…)")
    .requiredOption("--program <programId>", "the program")
    .addOption(new Option("--status <status>", "only awards in this status").choices(AwardStatus.options))
    .action(async (options: { program: string; status?: string }, command: Command) => {
      const context = contextOf(command, io);
      const { items } = await context.api().request<{ items: Award[] }>("GET", "/awards", {
        query: { programId: options.program, status: options.status },
      });
      if (context.json) return printJson(io, items);
      table(io, items, [
        { header: "AWARD", value: (a) => a.awardId },
        { header: "STATUS", value: (a) => a.status },
        { header: "CASH", value: (a) => money(a.cashCents), right: true },
        { header: "CREDITS", value: (a) => money(a.creditsCents), right: true },
        { header: "INSTITUTION", value: (a) => a.institution },
        { header: "PROPOSAL", value: (a) => a.proposalId },
      ]);
    });
  awards
    .command("get")
    .description("Show one award (GET /awards/{awardId})")
    .argument("<awardId>")
    .action(async (awardId: string, _options, command: Command) => {
      const context = contextOf(command, io);
      const award = await context
        .api()
        .request<Record<string, unknown>>("GET", `/awards/${encodeURIComponent(awardId)}`);
      if (context.json) printJson(io, award);
      else details(io, award);
    });
  return awards;
};
