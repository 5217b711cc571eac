import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createOpenApiHandler, SERVED_SERVER_URL } from '../../functions/handlers/openapi.js';
import { ROUTES, requiresToken } from '../../functions/http/routes.js';
import {
  buildOpenApiDocument,
  type JsonObject,
  OPENAPI_FILE,
  ROUTE_SCHEMAS,
} from '../../functions/http/spec/index.js';
import packageJson from '../../package.json' with { type: 'json' };
import { httpEvent, lambdaContext } from '../support/fixtures.js';
import { openApiValidator, operationById, operationsOf, refsIn, resolvePointer } from '../support/openapi.js';

const document = buildOpenApiDocument();
const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as JsonObject;
const validator = openApiValidator(document);

type Schema = Record<string, unknown>;

/** Subschemas of a JSON Schema node, by the draft 2020-12 keywords that hold schemas. */
const subschemas = (node: Schema): Schema[] => {
  const out: unknown[] = [];
  for (const key of [
    'items',
    'additionalProperties',
    'propertyNames',
    'not',
    'if',
    'then',
    'else',
    'contains',
  ]) {
    out.push(node[key]);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) out.push(...((node[key] as unknown[]) ?? []));
  for (const key of ['properties', 'patternProperties', '$defs']) {
    out.push(...Object.values((node[key] as Record<string, unknown>) ?? {}));
  }
  return out.filter((s): s is Schema => s !== null && typeof s === 'object' && !Array.isArray(s));
};

interface ExampleCase {
  where: string;
  schema: unknown;
  value: unknown;
}

/** Every `examples` keyword of a schema and of its subschemas, each checked against its own node. */
const schemaExamples = (schema: Schema, where: string): ExampleCase[] => [
  ...((schema.examples as unknown[] | undefined) ?? []).map((value, i) => ({
    where: `${where} examples[${i}]`,
    schema,
    value,
  })),
  ...subschemas(schema).flatMap((sub, i) => schemaExamples(sub, `${where}/${i}`)),
];

/** The examples of a media type, a parameter or a header: `example`, `examples.*.value`, and its schema's. */
const objectExamples = (holder: JsonObject, where: string): ExampleCase[] => {
  const schema = holder.schema as Schema;
  return [
    ...(holder.example === undefined ? [] : [{ where: `${where} example`, schema, value: holder.example }]),
    ...Object.entries((holder.examples as Record<string, { value: unknown }>) ?? {}).map(
      ([name, example]) => ({
        where: `${where} examples.${name}`,
        schema,
        value: example.value,
      }),
    ),
    ...schemaExamples(schema, `${where} schema`),
  ];
};

const allExamples = (doc: JsonObject): ExampleCase[] => {
  const components = doc.components as {
    schemas: Record<string, Schema>;
    headers: Record<string, JsonObject>;
  };
  const cases = [
    ...Object.entries(components.schemas).flatMap(([id, schema]) =>
      schemaExamples(schema, `#/components/schemas/${id}`),
    ),
    ...Object.entries(components.headers).flatMap(([name, header]) =>
      objectExamples(header, `#/components/headers/${name}`),
    ),
  ];
  for (const { method, path, operation } of operationsOf(doc)) {
    const at = `${method} ${path}`;
    for (const parameter of (operation.parameters as JsonObject[]) ?? []) {
      cases.push(...objectExamples(parameter, `${at} parameter ${String(parameter.name)}`));
    }
    const body = operation.requestBody as { content: Record<string, JsonObject> } | undefined;
    for (const [mediaType, media] of Object.entries(body?.content ?? {})) {
      cases.push(...objectExamples(media, `${at} request ${mediaType}`));
    }
    for (const [status, response] of Object.entries(operation.responses as Record<string, JsonObject>)) {
      for (const [mediaType, media] of Object.entries(
        (response.content as Record<string, JsonObject>) ?? {},
      )) {
        cases.push(...objectExamples(media, `${at} ${status} ${mediaType}`));
      }
    }
  }
  return cases;
};

describe('the OpenAPI document', () => {
  it('is committed as openapi.json exactly as the code generates it (run `npm run openapi` after a change)', () => {
    expect(committed, 'openapi.json is out of date: run `npm run openapi`').toEqual(document);
  });

  it('is valid OpenAPI 3.1 by the specification’s own schema', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('has the top-level fields of an OpenAPI 3.1 document, with the package version', () => {
    expect(document).toMatchObject({
      openapi: expect.stringMatching(/^3\.1\.\d+$/),
      jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
      info: { title: '长三角民生实事项目进展跟踪 API', version: packageJson.version },
      servers: [{ url: 'http://localhost:3000' }],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    });
    expect(Object.keys(document.paths as object).length).toBeGreaterThan(0);
  });

  it('resolves every $ref inside the document', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(20);
    const dangling = refs.filter((ref) => resolvePointer(document, ref) === undefined);
    expect(dangling).toEqual([]);
  });

  it('declares every tag and security scheme it uses', () => {
    const tags = new Set((document.tags as { name: string }[]).map((t) => t.name));
    const schemes = new Set(Object.keys((document.components as JsonObject).securitySchemes as object));
    for (const { operation } of operationsOf(document)) {
      for (const tag of operation.tags as string[]) expect(tags).toContain(tag);
      for (const requirement of operation.security as Record<string, unknown>[]) {
        for (const scheme of Object.keys(requirement)) expect(schemes).toContain(scheme);
      }
    }
  });

  it('declares each path parameter of each path, and no other', () => {
    for (const { method, path, operation } of operationsOf(document)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = ((operation.parameters as JsonObject[]) ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual(inPath.sort());
      for (const parameter of declared) expect(parameter.required, `${method} ${path}`).toBe(true);
    }
  });

  it('validates every example it gives against the schema it illustrates', () => {
    const cases = allExamples(document);
    expect(cases.length).toBeGreaterThan(80);
    const failures = cases
      .map((c) => ({ where: c.where, errors: validator.errorsOf(c.schema, c.value) }))
      .filter((c) => c.errors !== null);
    expect(failures).toEqual([]);
  });

  it('has an example of every named response schema', () => {
    const schemas = (document.components as { schemas: Record<string, Schema> }).schemas;
    const withoutExample = Object.entries(schemas)
      .filter(
        ([id, schema]) =>
          ![
            'MilestoneReport',
            'ProjectDefinition',
            'SubscriptionRequest',
            'ReplayRequest',
            'OpenApiDocument',
          ].includes(id) && schema.examples === undefined,
      )
      .map(([id]) => id);
    expect(withoutExample).toEqual([]);
  });
});

describe('the routes in the document', () => {
  it('describe every route of ROUTES, and nothing else', () => {
    expect(Object.keys(ROUTE_SCHEMAS).sort()).toEqual(ROUTES.map((r) => r.id).sort());
    expect(
      operationsOf(document)
        .map((o) => o.operation.operationId)
        .sort(),
    ).toEqual(ROUTES.map((r) => r.id).sort());
  });

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    '%s appears with its method, path, operationId and summary',
    (_id, route) => {
      const operation = (document.paths as Record<string, Record<string, JsonObject>>)[route.path]?.[
        route.method.toLowerCase()
      ];
      expect(operation).toMatchObject({ operationId: route.id, summary: route.summary });
    },
  );

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    '%s asks for a token exactly when the route needs one (readers: optional, a stage setting)',
    (_id, route) => {
      const { operation } = operationById(document, route.id);
      const expected = requiresToken(route, true)
        ? [{ bearerAuth: [] }]
        : requiresToken(route, false)
          ? [{}, { bearerAuth: [] }]
          : [];
      expect(operation.security).toEqual(expected);
    },
  );

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    '%s documents the errors its access, body and table use can produce, each as a problem document',
    (_id, route) => {
      const { operation } = operationById(document, route.id);
      const responses = operation.responses as Record<string, JsonObject>;
      const statuses = Object.keys(responses).map(Number);
      const expected = [500];
      if (route.access !== 'public') expected.push(401);
      if (route.access === 'caller') expected.push(403);
      if (route.tableAccess !== 'none') expected.push(503);
      if (operation.requestBody) expected.push(400, 413, 415);
      const parameters = (operation.parameters as JsonObject[] | undefined) ?? [];
      if (parameters.some((p) => p.in === 'path' || p.in === 'query')) expected.push(400);
      expect(statuses).toEqual(expect.arrayContaining(expected));
      for (const status of statuses.filter((s) => s >= 400)) {
        expect([400, 401, 403, 404, 406, 409, 413, 415, 500, 503]).toContain(status);
        const content = responses[String(status)]?.content as Record<string, JsonObject>;
        expect(content['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
        const others = Object.keys(content).filter((type) => type !== 'application/problem+json');
        expect(others, `${route.id} ${status}`).toEqual(status === 401 ? ['application/json'] : []);
      }
    },
  );

  it('requires an Idempotency-Key header to record a milestone', () => {
    const { operation } = operationById(document, 'recordMilestone');
    expect(operation.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
    const schema = (
      (operation.parameters as JsonObject[]).find((p) => p.name === 'Idempotency-Key') as JsonObject
    ).schema;
    expect(validator.errorsOf(schema, '0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01')).toBeNull();
    expect(validator.errorsOf(schema, 'has spaces')).not.toBeNull();
    expect(validator.errorsOf(schema, 'x'.repeat(256))).not.toBeNull();
  });

  it('offers the milestone history as JSON and as CSV, and the dashboard as HTML', () => {
    const history = operationById(document, 'listMilestones').operation.responses as Record<
      string,
      JsonObject
    >;
    expect(Object.keys(history['200']?.content as object)).toEqual(['application/json', 'text/csv']);
    const dashboard = operationById(document, 'getDashboard').operation.responses as Record<
      string,
      JsonObject
    >;
    expect(Object.keys(dashboard['200']?.content as object)).toEqual(['text/html']);
  });

  it('describes request bodies with the schemas the handlers validate with, and examples that pass them', () => {
    const { operation } = operationById(document, 'recordMilestone');
    const media = (operation.requestBody as { content: Record<string, JsonObject> }).content[
      'application/json'
    ];
    expect(media?.schema).toEqual({ $ref: '#/components/schemas/MilestoneReport' });
    expect(validator.errorsOf(media?.schema, { value: 210, asOf: '2024-06-30' })).toBeNull();
    expect(validator.errorsOf(media?.schema, { value: 210, asOf: '2024-06-30', extra: true })).not.toBeNull();
    expect(validator.errorsOf(media?.schema, { value: -1, asOf: '2024-06-30' })).not.toBeNull();
  });
});

describe('GET /openapi.json', () => {
  const handler = createOpenApiHandler();
  const get = (headers: Record<string, string> = {}) =>
    handler(httpEvent({ path: '/openapi.json', headers }), lambdaContext());

  it('serves the generated document as JSON, naming the API that serves it as its server', async () => {
    const result = await get();
    expect(result.statusCode).toBe(200);
    expect(result.headers['content-type']).toMatch(/^application\/json\b/);
    expect(result.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(result.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const served = JSON.parse(result.body) as JsonObject;
    expect(served).toEqual(buildOpenApiDocument({ serverUrl: SERVED_SERVER_URL }));
    expect(served.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect({ ...served, servers: committed.servers }).toEqual(committed);
  });

  it('answers 304 without a body while the client’s copy is current', async () => {
    const first = await get();
    const again = await get({ 'if-none-match': first.headers.etag ?? '' });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    const stale = await get({ 'if-none-match': '"an-older-version"' });
    expect(stale.statusCode).toBe(200);
  });
});
