/** Writes functions/schemas/compiled/*.ts from the zod schemas (`npm run validators`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateValidators } from './validators/generate.js';

const root = process.cwd();
for (const [path, text] of await generateValidators(root)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  console.log(`wrote ${path}`);
}
