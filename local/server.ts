/**
 * A local API Gateway HTTP API: serves ROUTES with the real handlers, enforces the JWT
 * authorizer where the stage requires a token, and hands each handler a payload 2.0 event.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Context } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { errors as joseErrors } from 'jose';
import {
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
  ValidationError,
} from '../functions/domain/errors.js';
import {
  internalProblem,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  problemFromError,
  problemResponse,
} from '../functions/http/problem.js';
import { ROUTES, type RouteDefinition, requiresToken } from '../functions/http/routes.js';
import type { HttpEvent, HttpResult } from '../functions/http/types.js';
import { STAGES, type StageConfig } from '../lib/stage-config.js';
import { lambdaContext, lambdaEnvironments } from './lambda-context.js';
import { flattenClaims } from './local-auth.js';
import { randomHex } from './shared/random-hex.js';
import { readBody } from './shared/read-body.js';

/** What a handler module exports: a Lambda handler for payload 2.0 events. */
export type LambdaHandler = (event: HttpEvent, context: Context) => Promise<unknown>;
export type HandlerLoader = (route: RouteDefinition) => Promise<LambdaHandler>;
/** Resolves with the verified payload or rejects; see local-auth.ts `verifyToken`. */
export type TokenVerifier = (token: string) => Promise<JWTPayload>;

/**
 * A route of the local runtime itself (under `/_local/`), never part of ROUTES and so never
 * deployed: e.g. running the watchdog by hand. Its request body is ignored.
 */
export interface LocalRoute {
  method: string;
  path: `/_local/${string}`;
  handle: () => Promise<HttpResult>;
}

export interface LocalServerOptions {
  routes?: readonly RouteDefinition[];
  stage?: StageConfig;
  /** Defaults to importing `functions/handlers/<route.handler>.ts`. */
  loadHandler?: HandlerLoader;
  verify: TokenVerifier;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** No access log and no error stacks on stderr. */
  quiet?: boolean;
  log?: (line: string) => void;
  maxBodyBytes?: number;
  /** The Lambda timeout `getRemainingTimeInMillis` counts down from. */
  functionTimeoutMs?: number;
  /** Local-only routes, matched (by exact path) before ROUTES. */
  localRoutes?: readonly LocalRoute[];
}

export interface LocalServer {
  url: string;
  port: number;
  /** Stops accepting, lets open requests finish (up to a short grace), then closes every connection. */
  close(): Promise<void>;
}

export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
const CLOSE_GRACE_MS = 1_000;
const DEFAULT_FUNCTION_TIMEOUT_MS = 10_000;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/projects/{projectId}` → /^\/projects\/([^/]+)$/; `{proxy+}` is greedy like API Gateway's. */
export const compileRoute = (route: RouteDefinition): CompiledRoute => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const match = /^\{([^{}+]+)(\+)?\}$/.exec(segment);
      if (!match?.[1]) return escapeRegExp(segment);
      names.push(match[1]);
      return match[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
};

export const defaultHandlerLoader: HandlerLoader = async (route) => {
  const module = (await import(
    new URL(`../functions/handlers/${route.handler}.ts`, import.meta.url).href
  )) as {
    handler?: unknown;
  };
  if (typeof module.handler !== 'function') {
    throw new Error(`functions/handlers/${route.handler}.ts does not export a handler function`);
  }
  return module.handler as LambdaHandler;
};

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

const bearerToken = (authorization: string | undefined): string | null => {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
};

const tokenFailure = (error: unknown): string => {
  if (error instanceof joseErrors.JWTExpired) return 'The bearer token has expired; get a new one.';
  return 'The bearer token is not valid for this API.';
};

const methodNotAllowed = (allowed: string[], instance: string): HttpResult =>
  problemResponse(
    {
      type: `${PROBLEM_TYPE_BASE}method-not-allowed`,
      title: 'Method not allowed',
      status: 405,
      detail: `${instance} supports ${allowed.join(', ')}.`,
      instance,
    },
    { allow: allowed.join(', ') },
  );

/**
 * What Node's HTTP parser refuses before any route sees it: a request line and headers past its
 * 16 KB limit (431), or bytes that are not HTTP (400). Answered as a problem document like every
 * other refusal, rather than with Node's bare status line.
 */
const refuseUnparsable = (error: NodeJS.ErrnoException, socket: Duplex) => {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const title = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
  const body = JSON.stringify({
    type: `${PROBLEM_TYPE_BASE}${tooLarge ? 'header-fields-too-large' : 'malformed-request'}`,
    title,
    status,
    detail: tooLarge
      ? 'The request line and headers exceed 16 KB; send long values in a body.'
      : 'The request is not valid HTTP/1.1.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\ncache-control: no-store\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
};

interface NormalizedResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** Payload 2.0 responses: a structured result, or anything else sent as a 200 JSON body. */
const normalizeResult = (result: unknown): NormalizedResult => {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const structured = result as {
      statusCode: unknown;
      headers?: Record<string, unknown>;
      cookies?: unknown;
      body?: unknown;
      isBase64Encoded?: unknown;
    };
    if (typeof structured.statusCode !== 'number' || !Number.isInteger(structured.statusCode)) {
      throw new Error('The handler returned a statusCode that is not an integer');
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(structured.headers ?? {})) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
    const text = structured.body === undefined || structured.body === null ? '' : String(structured.body);
    return {
      statusCode: structured.statusCode,
      headers,
      cookies: Array.isArray(structured.cookies) ? structured.cookies.map(String) : [],
      body: structured.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
    };
  }
  const text = typeof result === 'string' ? result : (JSON.stringify(result) ?? '');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(text),
  };
};

/** Starts the server; resolves once it is listening. */
export const createLocalServer = async (options: LocalServerOptions): Promise<LocalServer> => {
  const routes = (options.routes ?? ROUTES).map(compileRoute);
  const stage = options.stage ?? STAGES.local;
  const loadHandler = options.loadHandler ?? defaultHandlerLoader;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const functionTimeoutMs = options.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
  const log = options.log ?? ((line: string) => console.log(line));
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const environmentOf = lambdaEnvironments();
  const localRoutes = options.localRoutes ?? [];

  const handlerFor = (route: RouteDefinition): Promise<LambdaHandler> => {
    let loading = handlers.get(route.id);
    if (!loading) {
      loading = loadHandler(route);
      handlers.set(route.id, loading);
      // A module that failed to load (still being written, say) is tried again next time.
      loading.catch(() => handlers.delete(route.id));
    }
    return loading;
  };

  const corsHeaders = (request: IncomingMessage): Record<string, string> => {
    const origin = request.headers.origin;
    if (!origin) return {};
    if (stage.corsOrigins.includes('*')) return { 'access-control-allow-origin': '*' };
    return stage.corsOrigins.includes(origin)
      ? { 'access-control-allow-origin': origin, vary: 'origin' }
      : {};
  };

  const handle = async (request: IncomingMessage, requestId: string): Promise<NormalizedResult> => {
    const received = new Date();
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const rawPath = queryAt >= 0 ? target.slice(0, queryAt) : target;
    const rawQueryString = queryAt >= 0 ? target.slice(queryAt + 1) : '';
    const method = (request.method ?? 'GET').toUpperCase();
    const asResult = (result: HttpResult): NormalizedResult => normalizeResult(result);

    const localMatches = localRoutes.filter((local) => local.path === rawPath);
    if (localMatches.length > 0) {
      const local = localMatches.find((candidate) => candidate.method === method);
      if (!local) return asResult(methodNotAllowed([...new Set(localMatches.map((l) => l.method))], rawPath));
      request.resume();
      try {
        return asResult(await local.handle());
      } catch (error) {
        if (!options.quiet) console.error(`[local ${method} ${rawPath}] request ${requestId} failed:`, error);
        return asResult(internalProblem(requestId, rawPath));
      }
    }

    const candidates = routes
      .map((compiled) => ({ compiled, match: compiled.pattern.exec(rawPath) }))
      .filter((candidate) => candidate.match !== null);
    if (candidates.length === 0) {
      return asResult(problemFromError(new NotFoundError(`No route matches ${rawPath}.`), rawPath));
    }
    const allowed = [...new Set(candidates.map((candidate) => candidate.compiled.route.method))];

    // CORS preflight, answered by the gateway itself as API Gateway does when CORS is configured.
    if (method === 'OPTIONS' && request.headers.origin && request.headers['access-control-request-method']) {
      const cors = corsHeaders(request);
      return {
        statusCode: 204,
        headers: {
          ...cors,
          ...(cors['access-control-allow-origin']
            ? {
                'access-control-allow-methods': allowed.join(','),
                'access-control-allow-headers':
                  request.headers['access-control-request-headers'] ?? 'authorization,content-type',
                'access-control-max-age': '600',
              }
            : {}),
        },
        cookies: [],
        body: Buffer.alloc(0),
      };
    }

    const chosen = candidates
      .filter((candidate) => candidate.compiled.route.method === method)
      // The most specific route wins: the one with the fewest parameters.
      .sort((a, b) => a.compiled.names.length - b.compiled.names.length)[0];
    if (!chosen?.match) return asResult(methodNotAllowed(allowed, rawPath));
    const { route, names } = chosen.compiled;

    let pathParameters: Record<string, string> | undefined;
    try {
      for (const [index, name] of names.entries()) {
        pathParameters ??= {};
        pathParameters[name] = decodeURIComponent(chosen.match[index + 1] ?? '');
      }
    } catch {
      return asResult(problemFromError(new ValidationError(`${rawPath} is not a valid URL path.`), rawPath));
    }

    let claims: ReturnType<typeof flattenClaims> | undefined;
    if (requiresToken(route, stage.publicReads)) {
      const token = bearerToken(request.headers.authorization);
      if (token === null) {
        return asResult(
          problemFromError(
            new UnauthenticatedError('This request needs an Authorization: Bearer <token> header.'),
            rawPath,
          ),
        );
      }
      try {
        claims = flattenClaims(await options.verify(token));
      } catch (error) {
        return asResult(problemFromError(new UnauthenticatedError(tokenFailure(error)), rawPath));
      }
    }

    const body = await readBody(request, maxBodyBytes);
    if (body === null) {
      return asResult(
        problemFromError(
          new PayloadTooLargeError(`The request body exceeds the gateway limit of ${maxBodyBytes} bytes.`),
          rawPath,
        ),
      );
    }

    const distinct = request.headersDistinct;
    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(distinct)) {
      if (name === 'cookie' || values === undefined) continue;
      headers[name] = values.join(',');
    }
    const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    headers['x-forwarded-for'] ??= sourceIp;
    headers['x-forwarded-proto'] ??= 'http';
    headers['x-forwarded-port'] ??= String(request.socket.localPort ?? '');
    headers['x-amzn-trace-id'] ??= traceId(received);
    const cookies = (distinct.cookie ?? [])
      .flatMap((value) => value.split(';'))
      .map((cookie) => cookie.trim())
      .filter((cookie) => cookie !== '');
    const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
    const routeKey = `${route.method} ${route.path}`;
    const textual = isTextualContentType(headers['content-type']);
    const hasBody = body.byteLength > 0;
    const queryStringParameters = queryParameters(rawQueryString);

    const event: HttpEvent = {
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
        requestId,
        routeKey,
        stage: '$default',
        time: gatewayTime(received),
        timeEpoch: received.getTime(),
      },
      ...(pathParameters ? { pathParameters } : {}),
      ...(hasBody ? { body: body.toString(textual ? 'utf8' : 'base64') } : {}),
      isBase64Encoded: hasBody && !textual,
    };

    const context = lambdaContext(environmentOf(route), functionTimeoutMs);
    try {
      const handler = await handlerFor(route);
      return normalizeResult(await handler(event, context));
    } catch (error) {
      if (!options.quiet) {
        console.error(`[${route.handler}] request ${context.awsRequestId} failed:`, error);
      }
      return asResult(internalProblem(context.awsRequestId, rawPath));
    }
  };

  const respond = (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    const finish = (result: NormalizedResult) => {
      if (response.headersSent) return;
      response.statusCode = result.statusCode;
      for (const [name, value] of Object.entries({ ...result.headers, ...corsHeaders(request) })) {
        response.setHeader(name, value);
      }
      if (result.cookies.length > 0) response.setHeader('set-cookie', result.cookies);
      response.setHeader('apigw-requestid', requestId);
      response.setHeader('content-length', result.body.byteLength);
      if (result.statusCode === 413) response.setHeader('connection', 'close');
      response.end(request.method === 'HEAD' ? undefined : result.body);
      if (!options.quiet) {
        const path = (request.url ?? '/').split('?')[0];
        log(`${request.method} ${path} ${result.statusCode} ${Math.round(performance.now() - started)}ms`);
      }
    };
    handle(request, requestId).then(finish, (error: unknown) => {
      if (!options.quiet) console.error('local gateway error:', error);
      finish(normalizeResult(internalProblem(requestId)));
    });
  };

  const server = createServer(respond);
  server.on('clientError', refuseUnparsable);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', failed);
      listening();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((closed, failed) => {
      const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      force.unref();
      server.close((error) => {
        clearTimeout(force);
        if (error) failed(error);
        else closed();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return { url: `http://${urlHost}:${port}`, port, close };
};
