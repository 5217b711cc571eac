import * as z from 'zod/mini';
import { EVENT_SOURCE, type PublishedDetailType } from './catalogue.js';
import { DETAIL_SCHEMAS } from './detail-schemas.js';

/**
 * The JSON Schema of each detail-type, generated from the same zod schemas the code validates
 * with. The committed copies under events/schemas/ are what subscribers read; a contract test
 * fails when they drift from the code.
 */
export const detailJsonSchema = (detailType: PublishedDetailType): Record<string, unknown> => ({
  $id: `urn:livelihood-tracker:events:${detailType}:v1`,
  'x-event-source': EVENT_SOURCE,
  'x-detail-type': detailType,
  ...z.toJSONSchema(DETAIL_SCHEMAS[detailType], { target: 'draft-2020-12', io: 'output' }),
});

export const EVENT_SCHEMA_DIR = 'events/schemas';
export const schemaFileName = (detailType: string) => `${detailType}.schema.json`;
