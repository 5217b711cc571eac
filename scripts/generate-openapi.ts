/**
 * Writes openapi.json at the repository root from the code's routes and schemas (`npm run openapi`),
 * formatted the way Biome keeps JSON; the contract test compares its content with the code's.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument, OPENAPI_FILE } from '../functions/http/spec/index.js';

writeFileSync(OPENAPI_FILE, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
execFileSync('npx', ['biome', 'format', '--write', OPENAPI_FILE], { stdio: 'inherit' });
console.log(`wrote ${OPENAPI_FILE}`);
