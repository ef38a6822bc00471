import { Command } from "commander";
import { contextOf } from "../context.js";
import { details, money, printJson, processIo, table } from "../output.js";

interface Program {
  programId: string;
  name: string;
  pools: { cashCents: number; creditsCents: number };
  cluster: { chips: number };
}

export const programsCommand = (io = processIo) => {
  const programs = new Command("programs").description("Programs: their pools, caps and cluster (staff)");
  programs
    .command("list")
    .description("List the programs (GET /programs)")
    .action(async (_options, command: Command) => {
      const context = contextOf(command, io);
      const { items } = await context.api().request<{ items: Program[] }>("GET", "/programs");
      if (context.json) return printJson(io, items);
      table(io, items, [
        { header: "PROGRAM", value: (p) => p.programId },
        { header: "NAME", value: (p) => p.name },
        { header: "CASH POOL", value: (p) => money(p.pools?.cashCents), right: true },
        { header: "CREDITS POOL", value: (p) => money(p.pools?.creditsCents), right: true },
        { header: "CHIPS", value: (p) => p.cluster?.chips, right: true },
      ]);
    });
  programs
    .command("get")
    .description("Show one program (GET /programs/{programId})")
    .argument("<programId>")
    .action(async (programId: string, _options, command: Command) => {
      const context = contextOf(command, io);
      const program = await context
        .api()
        .request<Record<string, unknown>>("GET", `/programs/${encodeURIComponent(programId)}`);
      if (context.json) printJson(io, program);
      else details(io, program);
    });
  return programs;
};
