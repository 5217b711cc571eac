/**
 * The README's runbook: one heading (under "Operating it") per kind of alarm. Every alarm's
 * description names its heading, word for word; tests/infra/tracker-monitoring.test.ts checks
 * that each heading exists in README.md.
 */
export const RUNBOOK = {
  deadLetters: 'Dead letters are waiting',
  eventsLate: 'Events are late',
  functionErrors: 'A function fails',
  apiErrors: 'The API answers 5xx',
  throttles: 'Something is throttled',
  watchdogSilent: 'The watchdog did not run',
  deliveriesFailing: 'Webhooks are failing',
} as const;

export type RunbookSection = (typeof RUNBOOK)[keyof typeof RUNBOOK];

/** The sentence an alarm's description ends with. */
export const runbookReference = (section: RunbookSection): string =>
  `Runbook: README.md, "Operating it", section "${section}".`;
