import type { Link } from "@allot/stacks";
import { envForLink } from "@allot/stacks/env";

/** The value a link put in this function's environment (see stacks/src/env.ts). */
export const linked = (link: Link): string => {
  const name = envForLink(link);
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is this function linked to ${JSON.stringify(link)}?`);
  return value;
};
