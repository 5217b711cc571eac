/**
 * The check z.url() is itself, as zod runs it: the trimmed text must parse as a URL (and, with a
 * protocol pattern, have a protocol it matches); the output is the trimmed text without tabs and
 * line breaks, which the URL parser drops too.
 */
import type { CheckOptions } from './checks.js';
import type { Check, Payload, Raiser } from './validator.js';

export interface UrlOptions extends CheckOptions {
  protocol?: RegExp;
  hostname?: RegExp;
  normalize?: boolean;
  /** zod's guard for its own http(s) pattern: such a URL must be written with `://`. */
  requireSlashes?: boolean;
}

const TABS_AND_LINE_BREAKS = /[\t\n\r]/g;
const withoutTabs = (text: string) => text.replace(TABS_AND_LINE_BREAKS, '');
const matches = (regex: RegExp, text: string) => {
  regex.lastIndex = 0;
  return regex.test(text);
};

export const url = (options: UrlOptions, inst: Raiser): Check => {
  const strict = 'protocol' in options || 'hostname' in options || 'normalize' in options;
  const refuse = (payload: Payload, extra: object = {}) =>
    payload.issues.push({
      code: 'invalid_format',
      format: 'url',
      ...extra,
      input: payload.value,
      inst,
      continue: !options.abort,
    });
  return {
    check: (payload) => {
      try {
        const trimmed = (payload.value as string).trim();
        if (!strict) {
          if (URL.canParse(trimmed)) payload.value = withoutTabs(trimmed);
          else refuse(payload);
          return;
        }
        if (options.requireSlashes && !/^https?:\/\//i.test(trimmed)) {
          refuse(payload, { note: 'Invalid URL format' });
          return;
        }
        const parsed = URL.parse(trimmed);
        if (parsed === null) {
          refuse(payload);
          return;
        }
        if (options.hostname && !matches(options.hostname, parsed.hostname)) {
          refuse(payload, { note: 'Invalid hostname', pattern: options.hostname.source });
        }
        const protocol = parsed.protocol.endsWith(':') ? parsed.protocol.slice(0, -1) : parsed.protocol;
        if (options.protocol && !matches(options.protocol, protocol)) {
          refuse(payload, { note: 'Invalid protocol', pattern: options.protocol.source });
        }
        payload.value = options.normalize ? parsed.href : withoutTabs(trimmed);
      } catch {
        refuse(payload);
      }
    },
  };
};
