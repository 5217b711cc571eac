/**
 * The OpenAPI 3.1 description of the HTTP API: the routes of ROUTES, described per resource in
 * this folder with the same zod schemas the handlers validate with, merged into one document.
 * Committed as openapi.json (`npm run openapi`), the copy GET /openapi.json serves: this is
 * built at build time, never in a function.
 */
import packageJson from '../../../package.json' with { type: 'json' };
import { COMPONENT_EXAMPLES } from '../../schemas/responses/examples.js';
import { ROUTES } from '../routes.js';
import { RESPONSE_HEADERS } from './headers.js';
import { SchemaCollector } from './json-schema.js';
import { MILESTONE_ROUTES } from './milestones.js';
import { operationObject } from './operations.js';
import { PROJECT_ROUTES } from './projects.js';
import { serversEntry } from './servers.js';
import { SUBSCRIPTION_ROUTES } from './subscriptions.js';
import { SYSTEM_ROUTES } from './system.js';
import { TAGS } from './tags.js';
import type { JsonObject, RouteSchema } from './types.js';

export { LOCAL_SERVER_URL } from './servers.js';
export type { JsonObject } from './types.js';

/** What each route takes and answers, by route id: every route of ROUTES has one entry. */
export const ROUTE_SCHEMAS: Readonly<Record<string, RouteSchema>> = {
  ...SYSTEM_ROUTES,
  ...PROJECT_ROUTES,
  ...MILESTONE_ROUTES,
  ...SUBSCRIPTION_ROUTES,
};

export const OPENAPI_VERSION = '3.1.1';
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

const DESCRIPTION = `Progress of the Yangtze River Delta's annual livelihood projects (长三角民生实事项目). The offices of Shanghai, Jiangsu, Zhejiang and Anhui report cumulative milestones (660 km of new railway, 70,000 public charging piles, 200 remote virtual service windows, …); everyone sees the region's progress; the coordinator (长三角区域合作办) owns the catalogue.

**Authentication.** Bearer JWTs: Cognito access tokens in AWS (the user's group is the role: \`shanghai\`, \`jiangsu\`, \`zhejiang\`, \`anhui\` or \`coordinator\`); locally \`npm run token -- <role>\`. Reading projects and milestones needs no token on stages with \`publicReads\` (all of them by default).

**Errors.** Every error the API itself answers is \`application/problem+json\` (RFC 9457) with a stable \`type\` (\`urn:livelihood-tracker:problem:<code>\`) and, for validation, \`errors\` naming each field. API Gateway answers some requests itself with \`{"message": …}\`: a missing or invalid token on a route that needs one (401), an unknown route (404), more than the stage's throttle allows (429). The local runtime answers an unknown path with a \`not-found\` problem and a known path with the wrong method with \`405\`.

**Retries.** \`409 concurrent-modification\` and \`503\` carry \`Retry-After\`; a milestone report is retried with the same \`Idempotency-Key\` and is recorded at most once.`;

export interface OpenApiOptions {
  /** The server the document describes; default: the local runtime (`npm start`). */
  serverUrl?: string;
}

/** The OpenAPI 3.1 document of the HTTP API. Deterministic: the same code gives the same document. */
export const buildOpenApiDocument = (options: OpenApiOptions = {}): JsonObject => {
  const collector = new SchemaCollector(COMPONENT_EXAMPLES);
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
    servers: serversEntry(options.serverUrl),
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
