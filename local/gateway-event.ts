/**
 * The API Gateway HTTP API payload 2.0 event the local gateway hands a handler: headers lower-cased
 * and repeated ones joined with commas, cookies apart, the query string parsed, the body as text or
 * base64, and the request context with its ids and times.
 */
import type { IncomingMessage } from 'node:http';
import type { HttpEvent } from '../functions/http/types.js';
import type { flattenClaims } from './local-auth.js';
import { randomHex } from './shared/random-hex.js';

const TEXT_MEDIA_TYPE =
  /^(?:text\/[\w.+-]+|application\/(?:[\w.+-]+\+)?(?:json|xml)|application\/(?:javascript|ecmascript))$/i;

/** API Gateway passes text bodies as they are and everything else (or no content-type) as base64. */
export const isTextualContentType = (contentType: string | undefined): boolean =>
  TEXT_MEDIA_TYPE.test((contentType ?? '').split(';')[0]?.trim() ?? '');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number) => String(value).padStart(2, '0');
/** `12/Mar/2024:19:03:58 +0000`, the format of requestContext.time. */
const gatewayTime = (date: Date) =>
  `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:` +
  `${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;

const traceId = (date: Date) => `Root=1-${Math.floor(date.getTime() / 1000).toString(16)}-${randomHex(12)}`;

const queryParameters = (rawQueryString: string): Record<string, string> | undefined => {
  if (rawQueryString === '') return undefined;
  const result: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    result[key] = key in result ? `${result[key]},${value}` : value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
};

/**
 * The headers as API Gateway passes them, in one pass over the raw ones: names lower-cased, a
 * header sent twice joined with a comma, the Cookie header left out (it becomes `cookies`).
 */
const gatewayHeaders = (
  rawHeaders: readonly string[],
): { headers: Record<string, string>; cookies: string[] } => {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] as string).toLowerCase();
    const value = rawHeaders[index + 1] as string;
    if (name === 'cookie') {
      for (const cookie of value.split(';')) {
        const trimmed = cookie.trim();
        if (trimmed !== '') cookies.push(trimmed);
      }
    } else {
      const previous = headers[name];
      headers[name] = previous === undefined ? value : `${previous},${value}`;
    }
  }
  return { headers, cookies };
};

export interface GatewayRequest {
  request: IncomingMessage;
  received: Date;
  method: string;
  rawPath: string;
  rawQueryString: string;
  requestId: string;
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
  claims: ReturnType<typeof flattenClaims> | undefined;
  body: Buffer;
}

export const gatewayEvent = (gateway: GatewayRequest): HttpEvent => {
  const { request, received, method, rawPath, rawQueryString, routeKey, pathParameters, claims, body } =
    gateway;
  const { headers, cookies } = gatewayHeaders(request.rawHeaders);
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(request.socket.localPort ?? '');
  headers['x-amzn-trace-id'] ??= traceId(received);
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const textual = isTextualContentType(headers['content-type']);
  const hasBody = body.byteLength > 0;
  const queryStringParameters = queryParameters(rawQueryString);

  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: gateway.requestId,
      routeKey,
      stage: '$default',
      time: gatewayTime(received),
      timeEpoch: received.getTime(),
    },
    ...(pathParameters ? { pathParameters } : {}),
    ...(hasBody ? { body: body.toString(textual ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: hasBody && !textual,
  };
};
