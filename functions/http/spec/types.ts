/** The shapes of the API description's parts: what a route takes and answers, before it is JSON Schema. */
import type * as z from 'zod/mini';
import type { ResponseHeaderName } from './headers.js';
import type { TagName } from './tags.js';

export type JsonObject = Record<string, unknown>;

export const JSON_MEDIA_TYPE = 'application/json';
export const CSV_MEDIA_TYPE = 'text/csv';
export const HTML_MEDIA_TYPE = 'text/html';

export interface Example {
  summary: string;
  description?: string;
  value: unknown;
}

export interface MediaSpec {
  schema: z.ZodMiniType;
  examples?: Readonly<Record<string, Example>>;
}

export interface HeaderSpec {
  description: string;
  schema: z.ZodMiniType;
}

export interface ResponseSpec {
  description: string;
  content?: Readonly<Record<string, MediaSpec>>;
  headers?: readonly ResponseHeaderName[];
}

export interface HeaderParameterSpec {
  name: string;
  required: boolean;
  description: string;
  schema: z.ZodMiniType;
  example?: string;
}

/** What one route of ROUTES takes and answers. */
export interface RouteSchema {
  tag: TagName;
  description: string;
  /** One property per `{name}` of the path. */
  pathParams?: z.ZodMiniObject;
  /** One property per query parameter; its JSON Schema is taken from the parsed (output) type. */
  query?: z.ZodMiniObject;
  headers?: readonly HeaderParameterSpec[];
  body?: { description: string; schema: z.ZodMiniType; examples: Readonly<Record<string, Example>> };
  /** By status code; every status a route can answer with (statuses ≥ 400 are problem documents). */
  responses: Readonly<Record<number, ResponseSpec>>;
}
