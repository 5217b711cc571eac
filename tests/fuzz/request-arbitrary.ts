/**
 * Generated requests for one route, derived from its operation in openapi.json (path, query and
 * header parameters, request body examples), so that a route added to functions/http/routes.ts
 * is fuzzed without writing anything here. Most requests are valid ones with one thing wrong.
 */
import fc from 'fast-check';
import type { RouteDefinition } from '../../functions/http/routes.js';
import type { JsonObject } from '../../functions/http/spec/index.js';
import { bodyArbitrary, contentType } from './body-arbitrary.js';
import { type Described, described, oddNumber, oddText, weighted } from './odd-values.js';
import type { AuthVariant } from './tokens.js';

export interface FuzzRequest {
  routeId: string;
  method: string;
  /** As sent on the wire: already percent-encoded where it should be, raw where the test wants it raw. */
  target: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** What makes this request what it is, for a readable counterexample. */
  what: string[];
}

const excerpt = (text: string, length = 200) => (text.length > length ? `${text.slice(0, length)}…` : text);

/** One line per request: method, target, and what the generator did to it. */
export const describeRequest = (request: FuzzRequest): string =>
  `${request.method} ${excerpt(request.target)} (${request.what.map((what) => excerpt(what, 80)).join('; ')})`;

/** What the generators draw from besides the operation: known ids, issued cursors, tokens. */
export interface FuzzPools {
  valid: AuthVariant[];
  refused: AuthVariant[];
  /** Ids that exist, by path parameter name (`projectId` → the catalogue). */
  ids: Record<string, string[]>;
  /** nextCursor values issued by the listings. */
  cursors: string[];
}

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  example?: unknown;
  schema?: {
    type?: string;
    pattern?: string;
    enum?: string[];
    minimum?: number;
    maximum?: number;
    maxLength?: number;
  };
}

/** Why a route cannot be fuzzed, or null when it can: the test of "every route has a generator". */
export const missingGenerator = (
  route: RouteDefinition,
  operation: JsonObject | undefined,
): string | null => {
  if (!operation) return `${route.id}: no operation in openapi.json (run npm run openapi)`;
  const names = [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((match) => match[1]);
  const parameters = (operation.parameters ?? []) as unknown as Parameter[];
  for (const name of names) {
    const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
    if (parameter?.example === undefined) return `${route.id}: path parameter {${name}} has no example`;
  }
  if (operation.requestBody !== undefined && bodyExamples(operation).length === 0) {
    return `${route.id}: the request body has no example to mutate`;
  }
  return null;
};

const bodyExamples = (operation: JsonObject): unknown[] => {
  const content = (
    operation.requestBody as { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }
  )?.content?.['application/json'];
  return Object.values(content?.examples ?? {}).map((example) => example.value);
};

/** A path segment as sent: a known id, an unknown one, or something a router or decoder may trip on. */
const pathSegment = (parameter: Parameter, known: string[]): fc.Arbitrary<Described<string>> => {
  const pattern = parameter.schema?.pattern;
  const candidates = [...known, String(parameter.example)];
  return weighted<Described<string>>(
    [8, described(fc.constantFrom(...candidates), (id) => `{${parameter.name}} ${id}`)],
    [
      2,
      described(
        pattern ? fc.stringMatching(new RegExp(pattern)) : fc.uuid(),
        (id) => `unknown {${parameter.name}} ${id}`,
      ).map((d) => ({ ...d, value: percentEncode(d.value) })),
    ],
    [
      2,
      described(
        fc.constantFrom(
          '..',
          '.',
          '%2e%2e',
          '..%2F..%2Fhealth',
          '%2F',
          '%00',
          '%ZZ',
          '%',
          '%F0%9F',
          '%C0%AF',
          'rail-2024%20',
          'RAIL-2024',
          '-',
          'a'.repeat(4_000),
        ),
        (raw) => `odd {${parameter.name}} ${raw.slice(0, 40)}`,
      ),
    ],
    [
      2,
      described(oddText.map(percentEncode), (raw) => `encoded text {${parameter.name}} ${raw.slice(0, 40)}`),
    ],
  );
};

/**
 * encodeURIComponent, which would throw on a lone surrogate: that becomes U+FFFD first, as any
 * client's UTF-8 encoder would make it.
 */
const percentEncode = (text: string) =>
  encodeURIComponent(
    text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** A query value: valid for its schema, out of range, another type, or an odd cursor. */
const queryValue = (parameter: Parameter, pools: FuzzPools): fc.Arbitrary<string | undefined> => {
  const schema = parameter.schema ?? {};
  const valid: fc.Arbitrary<string | undefined> = schema.enum
    ? fc.constantFrom(...schema.enum)
    : schema.type === 'integer'
      ? fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1_000 }).map(String)
      : parameter.name === 'cursor'
        ? pools.cursors.length > 0
          ? fc.constantFrom(...pools.cursors)
          : fc.constant(undefined)
        : fc.string({ maxLength: 20 });
  const cursors = fc.oneof(
    fc.base64String({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 2 }).map((value) => base64url(JSON.stringify(value))),
    fc
      .dictionary(fc.constantFrom('PK', 'SK', 'GSI1PK', 'GSI1SK', 'x'), fc.oneof(fc.string(), fc.integer()))
      .map((key) => base64url(JSON.stringify(key))),
    fc.constantFrom('A'.repeat(3_000), '!!!', 'e30', 'bnVsbA', 'W10'),
  );
  return weighted<string | undefined>(
    [12, valid],
    [2, oddNumber.map(String)],
    [2, oddText],
    [parameter.name === 'cursor' ? 4 : 0, cursors],
  );
};

const queryString = (parameters: Parameter[], pools: FuzzPools): fc.Arbitrary<Described<string>> => {
  const queries = parameters.filter((p) => p.in === 'query');
  const extra = fc.option(fc.tuple(fc.constantFrom('unknown', 'limit', '__proto__', ''), oddText), {
    nil: undefined,
  });
  return fc
    .tuple(
      fc.tuple(...queries.map((p) => fc.option(queryValue(p, pools), { freq: 2, nil: undefined }))),
      extra,
      fc.boolean(),
    )
    .map(([values, added, rawly]) => {
      const pairs: [string, string][] = [];
      values.forEach((value, index) => {
        const name = queries[index]?.name;
        if (name !== undefined && value !== undefined) pairs.push([name, value]);
      });
      if (added) pairs.push(added);
      // Sometimes unencoded, the way a careless client sends it (only what Node lets onto the wire).
      const encode = (text: string) =>
        rawly ? text.replace(/[^\x21-\x7e]|[#&=]/gu, percentEncode) : percentEncode(text);
      const value = pairs.map(([key, text]) => `${encode(key)}=${encode(text)}`).join('&');
      return { value: value ? `?${value}` : '', what: value ? `query ${value.slice(0, 120)}` : '' };
    });
};

/** Header values Node will send (visible Latin-1 and tabs): anything else cannot be on the wire. */
const headerText = fc
  .string({ unit: 'binary-ascii', maxLength: 300 })
  .map((text) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '~'));

const headerValue = (parameter: Parameter): fc.Arbitrary<string | undefined> => {
  const pattern = parameter.schema?.pattern;
  const valid =
    parameter.name.toLowerCase() === 'idempotency-key'
      ? fc.uuid()
      : pattern
        ? fc.stringMatching(new RegExp(pattern))
        : fc.string();
  return weighted<string | undefined>(
    [8, valid],
    [1, fc.constant(undefined)],
    [1, fc.constantFrom('', ' ', 'fuzz-reused-key', 'k'.repeat(256), 'clé', '\tkey\t')],
    [1, headerText],
  );
};

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** Requests for one route: mostly its own method and path, each part valid or odd. */
export const requestArbitrary = (
  route: RouteDefinition,
  operation: JsonObject,
  pools: FuzzPools,
): fc.Arbitrary<FuzzRequest> => {
  const parameters = (operation.parameters ?? []) as unknown as Parameter[];
  const segments = route.path.split('/').map((segment): fc.Arbitrary<Described<string>> => {
    const name = /^\{(\w+)\+?\}$/.exec(segment)?.[1];
    const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
    return name && parameter
      ? pathSegment(parameter, pools.ids[name] ?? [])
      : fc.constant({ value: segment, what: '' });
  });
  const headerParameters = parameters.filter((p) => p.in === 'header');
  const auth = weighted<AuthVariant>(
    [6, fc.constantFrom(...pools.valid)],
    [3, fc.constantFrom(...pools.refused)],
  );
  const accept = fc.option(
    fc.constantFrom('application/json', 'text/csv', 'application/xml', '*/*', 'text/csv;q=0', 'garbage'),
    { freq: 3, nil: undefined },
  );
  return fc
    .record({
      method: weighted([12, fc.constant(route.method)], [1, fc.constantFrom(...OTHER_METHODS)]),
      segments: fc.tuple(...segments),
      trailing: weighted([12, fc.constant('')], [1, fc.constantFrom('/', '//', '/.')]),
      query: queryString(parameters, pools),
      auth,
      accept,
      contentType,
      extraHeaders: fc.tuple(...headerParameters.map(headerValue)),
      body: bodyArbitrary(bodyExamples(operation)),
    })
    .map((parts): FuzzRequest => {
      const headers: Record<string, string> = {};
      if (parts.auth.header !== undefined) headers.authorization = parts.auth.header;
      if (parts.accept !== undefined) headers.accept = parts.accept;
      if (parts.body.value !== undefined && parts.contentType !== undefined)
        headers['content-type'] = parts.contentType;
      const headerNotes: string[] = [];
      parts.extraHeaders.forEach((value, index) => {
        const name = headerParameters[index]?.name.toLowerCase();
        if (name !== undefined && value !== undefined) {
          headers[name] = value;
          headerNotes.push(`${name} ${JSON.stringify(value)}`);
        }
      });
      if (parts.accept !== undefined) headerNotes.push(`accept ${JSON.stringify(parts.accept)}`);
      const target = `${parts.segments.map((s) => s.value).join('/')}${parts.trailing}${parts.query.value}`;
      const what = [
        parts.auth.name,
        ...parts.segments.map((s) => s.what),
        parts.query.what,
        parts.body.what,
        headers['content-type'] === undefined
          ? ''
          : `content-type ${JSON.stringify(headers['content-type'])}`,
        ...headerNotes,
      ].filter((text) => text !== '');
      const request = {
        routeId: route.id,
        method: parts.method,
        target: target || '/',
        headers,
        body: parts.body.value,
        what,
      };
      // fast-check prints a counterexample with this: what was generated, not a 100 kB dump.
      return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
    });
};
