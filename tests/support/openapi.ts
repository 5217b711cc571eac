/**
 * Reading the OpenAPI document in tests: its operations by id, and an Ajv (draft 2020-12)
 * validator for any schema in it, with `#/components/...` references resolved in the document.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonObject } from '../../functions/http/spec/index.js';

const COMPONENTS_ID = 'urn:livelihood-tracker:openapi:components';

export interface Operation {
  method: string;
  path: string;
  operation: JsonObject;
}

export const operationsOf = (document: JsonObject): Operation[] =>
  Object.entries(document.paths as Record<string, Record<string, JsonObject>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );

export const operationById = (document: JsonObject, operationId: string): Operation => {
  const found = operationsOf(document).find((o) => o.operation.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the document`);
  return found;
};

/** A `#/…` JSON pointer into the document, or undefined when it leads nowhere. */
export const resolvePointer = (document: unknown, ref: string): unknown => {
  if (!ref.startsWith('#')) return undefined;
  const parts = ref
    .slice(1)
    .split('/')
    .slice(1)
    .map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'));
  let node: unknown = document;
  for (const part of parts) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
};

/** Every `$ref` string anywhere in a value. */
export const refsIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner),
  );
};

const pointAtComponents = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(pointAtComponents);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/')
        ? `${COMPONENTS_ID}${inner}`
        : pointAtComponents(inner),
    ]),
  );
};

export interface SchemaValidator {
  /** Null when the value is valid, otherwise Ajv's errors as text. */
  errorsOf(schema: unknown, value: unknown): string | null;
}

export const openApiValidator = (document: JsonObject): SchemaValidator => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: COMPONENTS_ID, components: document.components });
  const compiled = new Map<string, ValidateFunction>();
  return {
    errorsOf(schema, value) {
      const key = JSON.stringify(schema);
      let validate = compiled.get(key);
      if (!validate) {
        validate = ajv.compile(pointAtComponents(schema) as object);
        compiled.set(key, validate);
      }
      return validate(value) ? null : ajv.errorsText(validate.errors, { separator: '\n' });
    },
  };
};
