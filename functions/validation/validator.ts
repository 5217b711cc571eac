/**
 * What a compiled validator is made of, and how it runs: the same algorithm as zod's own parse
 * (a type's parse, then its checks in order, a check skipped once an earlier issue aborts), so that
 * the validators `npm run validators` writes from the zod schemas answer exactly as the schemas do,
 * without loading zod. The schemas stay the one source of truth; this is only how they run.
 */

/** Whatever raised an issue: its own error map words the issue first. */
export interface Raiser {
  error?: ErrorMap | undefined;
  /** A type that is not also a check (a string format is both): its issues are its own alone. */
  readonly pureType?: boolean;
}

/** An issue as zod raises it, before it is worded: issueMessage and error maps read these fields. */
export interface RawIssue {
  code: string;
  input?: unknown;
  path?: PropertyKey[];
  continue?: boolean;
  inst?: Raiser;
  schema?: Raiser;
  message?: string;
  [field: string]: unknown;
}

export type ErrorMap = (issue: RawIssue) => string | { message: string } | null | undefined;

export interface Payload {
  value: unknown;
  issues: RawIssue[];
}

export interface Check extends Raiser {
  check(payload: Payload): void;
  /** Runs even after an aborting issue (zod's length checks), unless an issue aborted explicitly. */
  when?: ((payload: Payload) => boolean) | undefined;
  /** A length check, and the most it allows: zod checks an array's maximum before its items. */
  sized?: { maximum?: number };
}

/** A compiled schema; `T` is what it outputs (the zod schema's output type). */
export interface Validator<T = unknown> extends Raiser {
  run(payload: Payload): Payload;
  optin?: 'optional' | 'defaulted' | undefined;
  optout?: 'optional' | undefined;
  /** The values it accepts, when it accepts only a known few (enums, literals): record keys read it. */
  values?: ReadonlySet<unknown> | undefined;
  readonly output?: T;
}

export type Output<V> = V extends Validator<infer T> ? T : never;

/** Options every type shares: its own error map, its checks, whether it coerces. */
export interface TypeOptions {
  error?: ErrorMap;
  checks?: readonly Check[];
  coerce?: boolean;
}

export const aborted = (payload: Payload, from = 0): boolean => {
  for (let i = from; i < payload.issues.length; i++) {
    if (payload.issues[i]?.continue !== true) return true;
  }
  return false;
};

const explicitlyAborted = (payload: Payload): boolean =>
  payload.issues.some((issue) => issue.continue === false);

/** zod's runChecks: each check stamps its issues with the schema it belongs to. */
const runChecks = (payload: Payload, checks: readonly Check[], owner: Raiser): Payload => {
  let isAborted = aborted(payload);
  for (const check of checks) {
    if (check.when) {
      if (explicitlyAborted(payload) || !check.when(payload)) continue;
    } else if (isAborted) {
      continue;
    }
    const before = payload.issues.length;
    check.check(payload);
    if (payload.issues.length === before) continue;
    for (let i = before; i < payload.issues.length; i++) {
      const issue = payload.issues[i] as RawIssue;
      issue.schema ??= owner;
    }
    if (!isAborted) isAborted = aborted(payload, before);
  }
  return payload;
};

/**
 * A validator from its type's parse and its checks; `self` is a check the type is itself (a
 * string format, an integer), run before the others as zod runs it.
 */
export const validator = <T>(
  parse: (payload: Payload, inst: Validator<T>) => Payload,
  options: TypeOptions,
  extra: Partial<Validator<T>> = {},
  self?: (inst: Validator<T>) => Check,
): Validator<T> => {
  const inst: Validator<T> = {
    error: options.error,
    pureType: self === undefined,
    ...extra,
    run: () => inst as never,
  };
  const checks = [...(self ? [self(inst)] : []), ...(options.checks ?? [])];
  inst.run =
    checks.length === 0
      ? (payload) => parse(payload, inst)
      : (payload) => runChecks(parse(payload, inst), checks, inst);
  return inst;
};

/** Adds `key` in front of the path of every issue, as zod's prefixIssues does. */
export const prefixIssues = (key: PropertyKey, issues: RawIssue[]): RawIssue[] => {
  for (const issue of issues) {
    issue.path ??= [];
    issue.path.unshift(key);
  }
  return issues;
};

/** Names what a compiled validator outputs: the type its zod schema outputs. */
export const typed = <T>(schema: Validator): Validator<T> => schema as Validator<T>;
