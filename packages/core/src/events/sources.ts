export const Sources = {
  proposals: "allot.proposals",
  awards: "allot.awards",
  usage: "allot.usage",
} as const;
