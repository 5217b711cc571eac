import * as z from 'zod/mini';
import type { JsonObject } from './types.js';

export const COMPONENT_SCHEMA_PREFIX = '#/components/schemas/';

/**
 * Turns zod schemas into JSON Schema (draft 2020-12) and collects every schema that carries a
 * `.meta({ id })` as a named component, referenced with `$ref`. A component id used twice with
 * different content is a mistake and throws.
 */
export class SchemaCollector {
  readonly components: Record<string, JsonObject> = {};

  /** @param examples The example of each component, by its zod schema: kept out of the schemas (see schemas/responses/examples.ts). */
  constructor(private readonly examples: ReadonlyMap<z.core.$ZodType, unknown> = new Map()) {}

  toSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonObject {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'throw',
      // OpenAPI 3.1 deprecates the schema's `example` in favour of JSON Schema's `examples`.
      override: ({ zodSchema, jsonSchema }) => {
        const node = jsonSchema as JsonObject;
        if ('example' in node) {
          node.examples = [node.example];
          delete node.example;
        }
        // A component's example is kept out of its schema (see schemas/responses/examples.ts).
        if (this.examples.has(zodSchema)) node.examples = [this.examples.get(zodSchema)];
        // zod bounds every integer to the safe range; that says nothing to a reader.
        if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
        if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
      },
    }) as JsonObject;
    const { $schema: _dialect, $defs, ...rest } = json;
    for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonObject>)) {
      const rewritten = rewriteRefs(definition) as JsonObject;
      const existing = this.components[id];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(rewritten)) {
        throw new Error(`Two different schemas use the component id ${id}`);
      }
      this.components[id] = rewritten;
    }
    return rewriteRefs(rest) as JsonObject;
  }
}

const rewriteRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
        ? `${COMPONENT_SCHEMA_PREFIX}${inner.slice('#/$defs/'.length)}`
        : rewriteRefs(inner),
    ]),
  );
};
