// Partner AWS accounts that may put their own rules on the Allot bus, per stage (README,
// "Partner accounts on the bus"). A reviewed change to this file is how a partner is added:
// the bus policy lets each account manage only rules it created, matching only allot.* sources.
export const PARTNER_ACCOUNTS: Record<string, string[]> = {
  // production: ["111122223333"],
};

export const partnerAccountsOf = (stage: string): string[] => PARTNER_ACCOUNTS[stage] ?? [];
