/** One route of ROUTES as an OpenAPI operation: its parameters, request body and responses. */
import * as z from 'zod/mini';
import { CORRELATION_ID_PATTERN } from '../../observability/correlation-id.js';
import { type RouteDefinition, requiresToken } from '../routes.js';
import type { SchemaCollector } from './json-schema.js';
import type {
  Example,
  HeaderParameterSpec,
  JsonObject,
  MediaSpec,
  ResponseSpec,
  RouteSchema,
} from './types.js';

/** Reader routes depend on the stage's `publicReads`: without a token, or with one. */
const securityOf = (route: RouteDefinition): JsonObject[] => {
  if (requiresToken(route, true)) return [{ bearerAuth: [] }];
  if (requiresToken(route, false)) return [{}, { bearerAuth: [] }];
  return [];
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
  schema: z.ZodMiniObject,
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

/** Every operation takes it and every answer of a function carries it (observability/correlation-id.ts). */
const CORRELATION_ID_PARAMETER: HeaderParameterSpec = {
  name: 'X-Correlation-Id',
  required: false,
  description:
    "Your own id for this request, to find it again in the delivery log and in the logs: at most 128 characters of `A-Z a-z 0-9 . _ : -`. Anything else is ignored, and the API's request id is used instead. Answered in the `X-Correlation-Id` header either way.",
  schema: z.string().check(z.regex(CORRELATION_ID_PATTERN), z.maxLength(128)),
  example: 'jiangsu-rail-2024-06-30',
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
  headers: Object.fromEntries(
    [...(response.headers ?? []), 'X-Correlation-Id'].map((name) => [
      name,
      { $ref: `#/components/headers/${name}` },
    ]),
  ),
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

export const operationObject = (
  collector: SchemaCollector,
  route: RouteDefinition,
  spec: RouteSchema,
): JsonObject => {
  const parameters = [
    ...(spec.pathParams ? objectParameters(collector, spec.pathParams, 'path') : []),
    ...(spec.query ? objectParameters(collector, spec.query, 'query') : []),
    ...(spec.headers ?? []).map((header) => headerParameter(collector, header)),
    headerParameter(collector, CORRELATION_ID_PARAMETER),
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
