export const Sources = {
  programs: "allot.programs",
  proposals: "allot.proposals",
  reviews: "allot.reviews",
  awards: "allot.awards",
  usage: "allot.usage",
  outputs: "allot.outputs",
  webhooks: "allot.webhooks",
} as const;
