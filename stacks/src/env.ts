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
  }
};

const constantCase = (name: string) => name.replace(/[^a-zA-Z0-9]+/g, "_").toUpperCase();
