import { Command } from "commander";
import { contextOf } from "../context.js";
import { details, printJson, processIo, table } from "../output.js";

interface Call {
  callId: string;
  programId: string;
  title: string;
  opensAt: string;
  closesAt: string;
}

export const callsCommand = (io = processIo) => {
  const calls = new Command("calls").description("Calls (rounds) of the programs");
  calls
    .command("list")
    .description("List calls (GET /calls)")
    .option("--open", "only those open now")
    .option("--program <programId>", "only this program's")
    .action(async (options: { open?: boolean; program?: string }, command: Command) => {
      const context = contextOf(command, io);
      const { items } = await context.api().request<{ items: Call[] }>("GET", "/calls", {
        query: { open: options.open ? "true" : undefined, programId: options.program },
      });
      if (context.json) return printJson(io, items);
      table(io, items, [
        { header: "CALL", value: (c) => c.callId },
        { header: "PROGRAM", value: (c) => c.programId },
        { header: "TITLE", value: (c) => c.title },
        { header: "OPENS", value: (c) => c.opensAt },
        { header: "CLOSES", value: (c) => c.closesAt },
      ]);
    });
  calls
    .command("get")
    .description("Show one call (GET /calls/{callId})")
    .argument("<callId>")
    .action(async (callId: string, _options, command: Command) => {
      const context = contextOf(command, io);
      const call = await context
        .api()
        .request<Record<string, unknown>>("GET", `/calls/${encodeURIComponent(callId)}`);
      if (context.json) printJson(io, call);
      else details(io, call);
    });
  return calls;
};
