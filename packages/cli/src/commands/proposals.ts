import { ProposalStatus } from "@allot/core/proposal";
import { Command, Option } from "commander";
import { contextOf } from "../context.js";
import { details, printJson, processIo, table } from "../output.js";

interface Proposal {
  proposalId: string;
  callId: string;
  status: string;
  title?: string;
  applicantId?: string;
  score?: { total: number | null } | null;
}

export const proposalsCommand = (io = processIo) => {
  const proposals = new Command("proposals").description("Proposals of a call");
  proposals
    .command("list")
    .description("List a call's proposals (GET /proposals?callId=…)")
    .requiredOption("--call <callId>", "the call")
    .addOption(
      new Option("--status <status>", "only proposals in this status").choices(ProposalStatus.options),
    )
    .action(async (options: { call: string; status?: string }, command: Command) => {
      const context = contextOf(command, io);
      const { items } = await context.api().request<{ items: Proposal[] }>("GET", "/proposals", {
        query: { callId: options.call, status: options.status },
      });
      if (context.json) return printJson(io, items);
      table(io, items, [
        { header: "PROPOSAL", value: (p) => p.proposalId },
        { header: "STATUS", value: (p) => p.status },
        { header: "SCORE", value: (p) => p.score?.total ?? "", right: true },
        { header: "APPLICANT", value: (p) => p.applicantId },
        { header: "TITLE", value: (p) => p.title },
      ]);
    });
  proposals
    .command("get")
    .description("Show one proposal (GET /proposals/{proposalId})")
    .argument("<proposalId>")
    .action(async (proposalId: string, _options, command: Command) => {
      const context = contextOf(command, io);
      const proposal = await context
        .api()
        .request<Record<string, unknown>>("GET", `/proposals/${encodeURIComponent(proposalId)}`);
      if (context.json) printJson(io, proposal);
      else details(io, proposal);
    });
  return proposals;
};
