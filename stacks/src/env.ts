import type { Link } from "./topology.js";

// The environment variable each link becomes, in both realizations; handlers read these.
export const envForLink = (link: Link): string => {
  switch (link.kind) {
    case "table":
      return `ALLOT_TABLE_${constantCase(link.table)}`;
    case "bus":
      return `ALLOT_BUS_${constantCase(link.bus)}`;
    case "stateMachine":
      return `ALLOT_STATE_MACHINE_${constantCase(link.stateMachine)}`;
    case "mail":
      return "ALLOT_MAIL_FROM";
    case "provider":
      return providerEnv.url;
  }
};

/** A provider link sets three variables: where the provider is, the shared secret, and where it calls back. */
export const providerEnv = {
  url: "ALLOT_PROVIDER_URL",
  secret: "ALLOT_PROVIDER_SECRET",
  publicUrl: "ALLOT_PUBLIC_URL",
} as const;

const constantCase = (name: string) => name.replace(/[^a-zA-Z0-9]+/g, "_").toUpperCase();
