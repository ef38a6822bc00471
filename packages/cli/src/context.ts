import type { Command } from "commander";
import { type ApiClient, apiClient } from "./api-client.js";
import { type EdgeAdmin, edgeAdmin } from "./edge-client.js";
import { usageError } from "./errors.js";
import type { Io } from "./output.js";

export interface GlobalOptions {
  url: string;
  token?: string;
  edge: string;
  json?: boolean;
}

/** What a command's action works with: the global options, its clients, and where to write. */
export interface Context {
  io: Io;
  json: boolean;
  api(): ApiClient;
  edge(): EdgeAdmin;
}

export const contextOf = (command: Command, io: Io): Context => {
  const options = command.optsWithGlobals<GlobalOptions>();
  return {
    io,
    json: options.json === true,
    api: () => {
      if (!options.token)
        throw usageError(
          "no bearer token: pass --token or set ALLOT_TOKEN (locally: export ALLOT_TOKEN=$(npx allot token --sub sam --role staff))",
        );
      return apiClient({ url: options.url, token: options.token });
    },
    edge: () => edgeAdmin(options.edge),
  };
};
