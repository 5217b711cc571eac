import { afterAll, beforeAll } from 'vitest';
import * as z from 'zod/mini';

/**
 * zod/mini words an issue "Invalid input" unless something says otherwise; the classic API's
 * English locale is what callers have always read. A bundled function has no locale loaded, but
 * a test process may (any classic schema sets it): unset it for the file's tests, so that what
 * they read is what a function answers.
 */
export const withoutZodLocale = () => {
  let savedLocale: z.core.$ZodConfig['localeError'];
  beforeAll(() => {
    savedLocale = z.config().localeError;
    z.config({ localeError: undefined });
  });
  afterAll(() => {
    z.config({ localeError: savedLocale });
  });
};
