import { randomUUID } from "node:crypto";
import { IntegrationScope } from "@allot/core";
import { Command, Option } from "commander";
import { contextOf } from "../context.js";
import { details, printJson, processIo, table } from "../output.js";

interface Client {
  clientId: string;
  name: string;
  contactEmail: string;
  scopes: string[];
  status: string;
  createdAt: string;
}

export const clientsCommand = (io = processIo) => {
  const clients = new Command("clients").description(
    "Integration clients: OAuth 2.0 client credentials for integrations (staff)",
  );
  clients
    .command("create")
    .description("Create a client (POST /integrations/clients); its secret is printed this once")
    .requiredOption("--name <name>", "what the integration is")
    .requiredOption("--contact <email>", "who to tell when it needs attention")
    .addOption(
      new Option("--scope <scope...>", "the scopes it may ask for")
        .choices(IntegrationScope.options)
        .makeOptionMandatory(),
    )
    .option("--idempotency-key <key>", "the same key when retrying (default: a new one)")
    .addHelpText(
      "after",
      "\nExample:\n  npx allot clients create --name Billing --contact ops@billing.example --scope usage:write",
    )
    .action(
      async (
        options: { name: string; contact: string; scope: string[]; idempotencyKey?: string },
        command: Command,
      ) => {
        const context = contextOf(command, io);
        const created = await context
          .api()
          .request<{ client: Client; clientSecret: string }>("POST", "/integrations/clients", {
            body: { name: options.name, contactEmail: options.contact, scopes: options.scope },
            headers: { "Idempotency-Key": options.idempotencyKey ?? randomUUID() },
          });
        if (context.json) return printJson(io, created);
        details(io, { ...created.client, clientSecret: created.clientSecret });
        io.err("The client secret is shown this once: store it now.\n");
      },
    );
  clients
    .command("list")
    .description("List the clients (GET /integrations/clients)")
    .action(async (_options, command: Command) => {
      const context = contextOf(command, io);
      const items: Client[] = [];
      let cursor: string | undefined;
      do {
        const page = await context
          .api()
          .request<{ items: Client[]; nextCursor: string | null }>("GET", "/integrations/clients", {
            query: { limit: "100", ...(cursor ? { cursor } : {}) },
          });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      if (context.json) return printJson(io, items);
      table(io, items, [
        { header: "CLIENT", value: (c) => c.clientId },
        { header: "NAME", value: (c) => c.name },
        { header: "STATUS", value: (c) => c.status },
        { header: "SCOPES", value: (c) => c.scopes.join(" ") },
        { header: "CONTACT", value: (c) => c.contactEmail },
      ]);
    });
  clients
    .command("revoke")
    .description(
      "Revoke a client (POST /integrations/clients/{clientId}/revoke); it gets no token from then on",
    )
    .argument("<clientId>")
    .action(async (clientId: string, _options, command: Command) => {
      const context = contextOf(command, io);
      const revoked = await context
        .api()
        .request<Client>("POST", `/integrations/clients/${encodeURIComponent(clientId)}/revoke`);
      if (context.json) printJson(io, revoked);
      else details(io, { ...revoked });
    });
  return clients;
};
