/**
 * The OpenAPI 3.1 description of the HTTP API, built from ROUTES and ROUTE_SCHEMAS: the same
 * route list the CDK stack and the local runtime serve, and the same zod schemas the handlers
 * validate with. Served at GET /openapi.json and committed as openapi.json (`npm run openapi`).
 */
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import {
  type Example,
  type HeaderParameterSpec,
  type MediaSpec,
  RESPONSE_HEADERS,
  type ResponseSpec,
  ROUTE_SCHEMAS,
  type RouteSchema,
  TAGS,
} from './route-schemas.js';
import { ROUTES, type RouteDefinition, requiresToken } from './routes.js';

export type JsonObject = Record<string, unknown>;

export const OPENAPI_VERSION = '3.1.1';
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
export const COMPONENT_SCHEMA_PREFIX = '#/components/schemas/';
export const LOCAL_SERVER_URL = 'http://localhost:3000';

const DESCRIPTION = `Progress of the Yangtze River Delta's annual livelihood projects (长三角民生实事项目). The offices of Shanghai, Jiangsu, Zhejiang and Anhui report cumulative milestones (660 km of new railway, 70,000 public charging piles, 200 remote virtual service windows, …); everyone sees the region's progress; the coordinator (长三角区域合作办) owns the catalogue.

**Authentication.** Bearer JWTs: Cognito access tokens in AWS (the user's group is the role: \`shanghai\`, \`jiangsu\`, \`zhejiang\`, \`anhui\` or \`coordinator\`); locally \`npm run token -- <role>\`. Reading projects and milestones needs no token on stages with \`publicReads\` (all of them by default).

**Errors.** Every error the API itself answers is \`application/problem+json\` (RFC 9457) with a stable \`type\` (\`urn:livelihood-tracker:problem:<code>\`) and, for validation, \`errors\` naming each field. API Gateway answers some requests itself with \`{"message": …}\`: a missing or invalid token on a route that needs one (401), an unknown route (404), more than the stage's throttle allows (429). The local runtime answers an unknown path with a \`not-found\` problem and a known path with the wrong method with \`405\`.

**Retries.** \`409 concurrent-modification\` and \`503\` carry \`Retry-After\`; a milestone report is retried with the same \`Idempotency-Key\` and is recorded at most once.`;

/** Reader routes depend on the stage's `publicReads`: without a token, or with one. */
const securityOf = (route: RouteDefinition): JsonObject[] => {
  if (requiresToken(route, true)) return [{ bearerAuth: [] }];
  if (requiresToken(route, false)) return [{}, { bearerAuth: [] }];
  return [];
};

/**
 * Turns zod schemas into JSON Schema (draft 2020-12) and collects every schema that carries a
 * `.meta({ id })` as a named component, referenced with `$ref`. A component id used twice with
 * different content is a mistake and throws.
 */
class SchemaCollector {
  readonly components: Record<string, JsonObject> = {};

  toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'throw',
      // OpenAPI 3.1 deprecates the schema's `example` in favour of JSON Schema's `examples`.
      override: ({ jsonSchema }) => {
        const node = jsonSchema as JsonObject;
        if ('example' in node) {
          node.examples = [node.example];
          delete node.example;
        }
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

const examplesObject = (examples: Readonly<Record<string, Example>>): JsonObject =>
  Object.fromEntries(
    Object.entries(examples).map(([name, example]) => [
      name,
      {
        summary: example.summary,
        ...(example.description === undefined ? {} : { description: example.description }),
        value: example.value,
      },
    ]),
  );

/** Each property of a zod object becomes one parameter, with the JSON Schema of its parsed value. */
const objectParameters = (
  collector: SchemaCollector,
  schema: z.ZodObject,
  location: 'path' | 'query',
): JsonObject[] => {
  const json = collector.toSchema(schema, 'output');
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, examples, ...parameterSchema } = property;
    const [example] = (examples ?? []) as unknown[];
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: parameterSchema,
      ...(example === undefined ? {} : { example }),
    };
  });
};

const headerParameter = (collector: SchemaCollector, header: HeaderParameterSpec): JsonObject => ({
  name: header.name,
  in: 'header',
  required: header.required,
  description: header.description,
  schema: collector.toSchema(header.schema, 'input'),
  ...(header.example === undefined ? {} : { example: header.example }),
});

const mediaObject = (collector: SchemaCollector, media: MediaSpec, io: 'input' | 'output'): JsonObject => ({
  schema: collector.toSchema(media.schema, io),
  ...(media.examples === undefined ? {} : { examples: examplesObject(media.examples) }),
});

const responseObject = (collector: SchemaCollector, response: ResponseSpec): JsonObject => ({
  description: response.description,
  ...(response.headers === undefined
    ? {}
    : {
        headers: Object.fromEntries(
          response.headers.map((name) => [name, { $ref: `#/components/headers/${name}` }]),
        ),
      }),
  ...(response.content === undefined
    ? {}
    : {
        content: Object.fromEntries(
          Object.entries(response.content).map(([mediaType, media]) => [
            mediaType,
            mediaObject(collector, media, 'output'),
          ]),
        ),
      }),
});

const operationObject = (
  collector: SchemaCollector,
  route: RouteDefinition,
  spec: RouteSchema,
): JsonObject => {
  const parameters = [
    ...(spec.pathParams ? objectParameters(collector, spec.pathParams, 'path') : []),
    ...(spec.query ? objectParameters(collector, spec.query, 'query') : []),
    ...(spec.headers ?? []).map((header) => headerParameter(collector, header)),
  ];
  return {
    operationId: route.id,
    summary: route.summary,
    description: spec.description,
    tags: [spec.tag],
    security: securityOf(route),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body === undefined
      ? {}
      : {
          requestBody: {
            description: spec.body.description,
            required: true,
            content: {
              'application/json': mediaObject(
                collector,
                { schema: spec.body.schema, examples: spec.body.examples },
                'input',
              ),
            },
          },
        }),
    responses: Object.fromEntries(
      Object.entries(spec.responses).map(([status, response]) => [
        status,
        responseObject(collector, response),
      ]),
    ),
  };
};

export interface OpenApiOptions {
  /** The server the document describes; default: the local runtime (`npm start`). */
  serverUrl?: string;
}

/** The OpenAPI 3.1 document of the HTTP API. Deterministic: the same code gives the same document. */
export const buildOpenApiDocument = (options: OpenApiOptions = {}): JsonObject => {
  const collector = new SchemaCollector();
  const paths: Record<string, JsonObject> = {};
  for (const route of ROUTES) {
    const spec = ROUTE_SCHEMAS[route.id];
    if (spec === undefined) throw new Error(`Route ${route.id} has no entry in ROUTE_SCHEMAS`);
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operationObject(collector, route, spec);
    paths[route.path] = item;
  }
  const headers = Object.fromEntries(
    Object.entries(RESPONSE_HEADERS).map(([name, header]) => [
      name,
      { description: header.description, schema: collector.toSchema(header.schema, 'output') },
    ]),
  );
  const schemas = Object.fromEntries(
    Object.keys(collector.components)
      .sort()
      .map((id) => [id, collector.components[id]]),
  );

  return {
    openapi: OPENAPI_VERSION,
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: '长三角民生实事项目进展跟踪 API',
      summary: "Progress tracker for the Yangtze River Delta's annual livelihood projects",
      description: DESCRIPTION,
      version: packageJson.version,
    },
    servers:
      options.serverUrl === undefined
        ? [{ url: LOCAL_SERVER_URL, description: 'The local runtime (`npm start`)' }]
        : [{ url: options.serverUrl, description: 'The API that serves this document' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas,
      headers,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A JWT access token. In AWS: a Cognito user pool access token (sign in with the stack's `UserPoolClientId`); the HTTP API's JWT authorizer checks signature, issuer, audience and expiry, and the caller's role is its `cognito:groups` group (`shanghai`, `jiangsu`, `zhejiang`, `anhui` or `coordinator`). Locally: `npm run -s token -- <role>` signs a 12-hour RS256 token that the local runtime checks the same way.",
        },
      },
    },
  };
};

/** The committed copy, at the repository root. */
export const OPENAPI_FILE = 'openapi.json';
