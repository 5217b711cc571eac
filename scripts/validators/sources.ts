/**
 * What `npm run validators` compiles, and where to: each module of zod schemas gives one module of
 * validators that imports nothing from zod. The functions a schema's checks call cannot be written
 * out: they must be named exports of one of CHECK_FUNCTION_MODULES, which the validators import.
 */
export interface ValidatorSource {
  source: string;
  output: string;
}

export const VALIDATOR_SOURCES: readonly ValidatorSource[] = [
  { source: 'functions/schemas/projects.ts', output: 'functions/schemas/compiled/projects.ts' },
  { source: 'functions/schemas/milestones.ts', output: 'functions/schemas/compiled/milestones.ts' },
  { source: 'functions/schemas/subscriptions.ts', output: 'functions/schemas/compiled/subscriptions.ts' },
  { source: 'functions/events/detail-schemas.ts', output: 'functions/schemas/compiled/event-details.ts' },
];

export const CHECK_FUNCTION_MODULES: readonly string[] = [
  'functions/domain/calendar.ts',
  'functions/schemas/printable.ts',
  'functions/schemas/no-repeats.ts',
];

/** The module every compiled validator is built with. */
export const RUNTIME_MODULE = 'functions/validation/index.ts';
