/** The groups of the API description, in the order a reader meets them. */
export const TAGS = {
  Projects: 'The annual catalogue of livelihood projects and their progress (三省一市).',
  Milestones: "The provinces' cumulative reports: recording one, reading the history.",
  Subscriptions: 'Webhooks: subscribing, seeing deliveries, replaying events.',
  Service: 'The dashboard page, this description and the liveness check.',
} as const;
export type TagName = keyof typeof TAGS;
