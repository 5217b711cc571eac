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
  type TrackerError,
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
import { gatewayEvent } from './gateway-event.js';
import { type GatewayResult, normalizeResult, writeResult } from './gateway-response.js';
import { lambdaContext, lambdaEnvironments } from './lambda-context.js';
import { writeLine } from './line-output.js';
import { flattenClaims } from './local-auth.js';
import { createRouteTable } from './route-table.js';
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

/** Starts the server; resolves once it is listening. */
export const createLocalServer = async (options: LocalServerOptions): Promise<LocalServer> => {
  const table = createRouteTable(options.routes ?? ROUTES);
  const stage = options.stage ?? STAGES.local;
  const loadHandler = options.loadHandler ?? defaultHandlerLoader;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const functionTimeoutMs = options.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
  const log = options.log ?? writeLine;
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

  /** CORS preflight, answered by the gateway itself as API Gateway does when CORS is configured. */
  const preflight = (request: IncomingMessage, allowed: string[]): GatewayResult => {
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
      body: '',
    };
  };

  const localPaths = new Set<string>(localRoutes.map((local) => local.path));
  /** A request to one of `localPaths`: local routes are matched by exact path, before ROUTES. */
  const handleLocal = async (
    request: IncomingMessage,
    requestId: string,
    method: string,
    rawPath: string,
  ): Promise<GatewayResult> => {
    const atPath = localRoutes.filter((candidate) => candidate.path === rawPath);
    const local = atPath.find((candidate) => candidate.method === method);
    if (!local) return normalizeResult(methodNotAllowed([...new Set(atPath.map((l) => l.method))], rawPath));
    request.resume();
    try {
      return normalizeResult(await local.handle());
    } catch (error) {
      if (!options.quiet) console.error(`[local ${method} ${rawPath}] request ${requestId} failed:`, error);
      return normalizeResult(internalProblem(requestId, rawPath));
    }
  };

  const refusal = (error: TrackerError, rawPath: string): GatewayResult =>
    normalizeResult(problemFromError(error, rawPath));

  const handle = async (request: IncomingMessage, requestId: string): Promise<GatewayResult> => {
    const received = new Date();
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const rawPath = queryAt >= 0 ? target.slice(0, queryAt) : target;
    const rawQueryString = queryAt >= 0 ? target.slice(queryAt + 1) : '';
    const method = (request.method ?? 'GET').toUpperCase();

    if (localPaths.has(rawPath)) return handleLocal(request, requestId, method, rawPath);

    const isPreflight =
      method === 'OPTIONS' && !!request.headers.origin && !!request.headers['access-control-request-method'];
    const chosen = isPreflight ? undefined : table.routeFor(rawPath, method);
    if (!chosen) {
      const allowed = table.methodsAt(rawPath);
      if (allowed.length === 0) return refusal(new NotFoundError(`No route matches ${rawPath}.`), rawPath);
      if (isPreflight) return preflight(request, allowed);
      return normalizeResult(methodNotAllowed(allowed, rawPath));
    }
    const { route, names } = chosen.compiled;

    let pathParameters: Record<string, string> | undefined;
    try {
      for (const [index, name] of names.entries()) {
        pathParameters ??= {};
        pathParameters[name] = decodeURIComponent(chosen.groups[index + 1] ?? '');
      }
    } catch {
      return refusal(new ValidationError(`${rawPath} is not a valid URL path.`), rawPath);
    }

    let claims: ReturnType<typeof flattenClaims> | undefined;
    if (requiresToken(route, stage.publicReads)) {
      const token = bearerToken(request.headers.authorization);
      if (token === null) {
        return refusal(
          new UnauthenticatedError('This request needs an Authorization: Bearer <token> header.'),
          rawPath,
        );
      }
      try {
        claims = flattenClaims(await options.verify(token));
      } catch (error) {
        return refusal(new UnauthenticatedError(tokenFailure(error)), rawPath);
      }
    }

    const body = await readBody(request, maxBodyBytes);
    if (body === null) {
      return refusal(
        new PayloadTooLargeError(`The request body exceeds the gateway limit of ${maxBodyBytes} bytes.`),
        rawPath,
      );
    }

    const event = gatewayEvent({
      request,
      received,
      method,
      rawPath,
      rawQueryString,
      requestId,
      routeKey: `${route.method} ${route.path}`,
      pathParameters,
      claims,
      body,
    });
    const context = lambdaContext(environmentOf(route), functionTimeoutMs);
    try {
      const handler = await handlerFor(route);
      return normalizeResult(await handler(event, context));
    } catch (error) {
      if (!options.quiet) {
        console.error(`[${route.handler}] request ${context.awsRequestId} failed:`, error);
      }
      return normalizeResult(internalProblem(context.awsRequestId, rawPath));
    }
  };

  const respond = (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    const finish = (result: GatewayResult) => {
      if (response.headersSent) return;
      writeResult(request, response, result, { ...corsHeaders(request), 'apigw-requestid': requestId });
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
