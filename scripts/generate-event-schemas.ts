/** Writes events/schemas/<DetailType>.schema.json from the code's schemas (`npm run schemas`). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishedDetailType } from '../functions/events/catalogue.js';
import { DETAIL_SCHEMAS } from '../functions/events/detail-schemas.js';
import { detailJsonSchema, EVENT_SCHEMA_DIR, schemaFileName } from '../functions/events/json-schemas.js';

mkdirSync(EVENT_SCHEMA_DIR, { recursive: true });
for (const detailType of Object.keys(DETAIL_SCHEMAS) as PublishedDetailType[]) {
  const path = join(EVENT_SCHEMA_DIR, schemaFileName(detailType));
  writeFileSync(path, `${JSON.stringify(detailJsonSchema(detailType), null, 2)}\n`);
  console.log(`wrote ${path}`);
}
// Committed in the project's own format, so that a regeneration without changes is no diff.
execFileSync('npx', ['biome', 'format', '--write', EVENT_SCHEMA_DIR], { stdio: 'inherit' });
