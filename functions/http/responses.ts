import type { HttpResult } from './types.js';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** For bodies that were serialised once and must be sent byte for byte (idempotent replays). */
export const rawJsonResponse = (
  statusCode: number,
  body: string,
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
  body,
});

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult => rawJsonResponse(statusCode, JSON.stringify(body), headers);
