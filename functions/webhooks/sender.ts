import type { LookupAddress } from 'node:dns';
import {
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ValidationError } from '../domain/errors.js';
import { DELIVERY_QUEUE } from '../events/plumbing.js';
import {
  bareHostname,
  type Resolver,
  resolveAndCheck,
  UNRESOLVED,
  validateWebhookUrl,
} from './address-policy.js';

/**
 * One webhook attempt over node:http/https (not fetch: only there can the socket's `lookup` be
 * replaced, so that the address checked by the SSRF policy is the address connected to, even if
 * the name's DNS answer changes between the subscription check and the attempt).
 */

export const USER_AGENT = 'livelihood-tracker-webhooks/1';
/** At most this much of a response body is read; the rest is not downloaded. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export type SendResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'gone'; status: number }
  | { kind: 'retry'; status?: number; retryAfterSeconds?: number; error: string };

export interface SendWebhookInput {
  url: string;
  /** The Standard Webhooks headers (and any other); content-type and user-agent are set here. */
  headers: Readonly<Record<string, string>>;
  body: string;
  /** Connect, request and response headers, all within this (default DELIVERY_QUEUE.requestTimeoutMs). */
  timeoutMs?: number;
  /** The local stage only: http to localhost and loopback addresses are allowed. */
  allowLocalhost: boolean;
  /** Ports besides 443 and 80 the URL may name (the stage's allowedWebhookPorts). */
  allowedPorts?: readonly number[] | undefined;
  /** Resolves host names (default: the system resolver); every address is checked before use. */
  lookup?: Resolver;
}

/**
 * Sends one webhook. Never throws: a 2xx is `delivered`, 410 is `gone`, anything else (other
 * statuses, redirects, network errors, timeouts, a URL or address the policy refuses) is `retry`
 * with a short error safe to show to the subscriber.
 */
export async function sendWebhook(input: SendWebhookInput): Promise<SendResult> {
  const timeoutMs = input.timeoutMs ?? DELIVERY_QUEUE.requestTimeoutMs;
  let url: URL;
  try {
    url = validateWebhookUrl(input.url, {
      allowLocalhost: input.allowLocalhost,
      allowedPorts: input.allowedPorts,
    });
  } catch (error) {
    return { kind: 'retry', error: safeErrorMessage(error) };
  }

  const body = Buffer.from(input.body, 'utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  delete headers.host;
  headers['content-type'] = 'application/json';
  headers['user-agent'] = USER_AGENT;
  headers['content-length'] = String(body.length);

  const options: RequestOptions = {
    method: 'POST',
    protocol: url.protocol,
    hostname: bareHostname(url.hostname),
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers,
    // A fresh connection per attempt: no socket is shared between subscribers.
    agent: false,
    lookup: guardedLookup(input.allowLocalhost, input.lookup),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise<SendResult>((resolve) => {
    let settled = false;
    let request: ClientRequest | undefined;
    let response: IncomingMessage | undefined;
    let outcome: SendResult | undefined;

    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      response?.destroy();
      request?.destroy();
      resolve(result);
    };

    // Whether the TCP connection opened: a connect that times out reads like one refused.
    let connected = false;
    const timer = setTimeout(() => {
      // After the status arrived, a slow body does not change the outcome.
      finish(outcome ?? { kind: 'retry', error: connected ? 'timeout' : COULD_NOT_CONNECT });
    }, timeoutMs);

    try {
      request = send(options, (res) => {
        response = res;
        outcome = outcomeOf(res);
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= MAX_RESPONSE_BYTES && outcome) finish(outcome);
        });
        res.on('end', () => outcome && finish(outcome));
        res.on('close', () => outcome && finish(outcome));
        res.on('error', () => outcome && finish(outcome));
      });
    } catch (error) {
      finish({ kind: 'retry', error: safeErrorMessage(error) });
      return;
    }
    request.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      socket.once('connect', () => {
        connected = true;
      });
    });
    request.on('error', (error) => finish(outcome ?? { kind: 'retry', error: safeErrorMessage(error) }));
    request.end(body);
  });
}

function outcomeOf(response: IncomingMessage): SendResult {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 410) return { kind: 'gone', status };
  const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
  const error = status >= 300 && status < 400 ? 'redirects are not followed' : `HTTP ${status}`;
  return retryAfterSeconds === undefined
    ? { kind: 'retry', status, error }
    : { kind: 'retry', status, retryAfterSeconds, error };
}

/**
 * A Retry-After header in whole seconds from `now`: delay-seconds or an HTTP-date (a date in the
 * past is 0). Anything else is undefined.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  // An IMF-fixdate (or the obsolete forms Date.parse also reads); a bare number was handled above.
  if (!/^[A-Za-z]{3},? /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The socket's `lookup`: every address the name resolves to is checked, and only those are used. */
function guardedLookup(allowLocalhost: boolean, resolver: Resolver | undefined): LookupFunction {
  return (hostname, options, callback) => {
    resolveAndCheck(hostname, resolver ? { allowLocalhost, lookup: resolver } : { allowLocalhost }).then(
      (addresses) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
        const usable: LookupAddress[] =
          family === 0 ? addresses : addresses.filter((address) => address.family === family);
        const first = usable[0];
        if (first === undefined) {
          callback(
            Object.assign(new Error('no address of the requested family'), { code: 'ENOTFOUND' }),
            '',
            0,
          );
        } else if (options.all) {
          callback(null, usable);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: Error) => callback(error, '', 0),
    );
  };
}

/**
 * One text for every way a connection can fail to open: if refused, reset, unreachable and timed
 * out read differently, a subscriber could map which hosts and ports answer behind a name it
 * controls (the recorded error is shown to it).
 */
export const COULD_NOT_CONNECT = 'could not connect';

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: COULD_NOT_CONNECT,
  ECONNRESET: COULD_NOT_CONNECT,
  EPIPE: COULD_NOT_CONNECT,
  ETIMEDOUT: COULD_NOT_CONNECT,
  EHOSTUNREACH: COULD_NOT_CONNECT,
  ENETUNREACH: COULD_NOT_CONNECT,
  ENOTFOUND: COULD_NOT_CONNECT,
  EAI_AGAIN: COULD_NOT_CONNECT,
  ECONNABORTED: COULD_NOT_CONNECT,
  EADDRNOTAVAIL: COULD_NOT_CONNECT,
  EPROTO: 'TLS handshake failed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate could not be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate could not be verified',
};

/** A short description of a failure: never a stack, an internal address or a resolver's answer. */
function safeErrorMessage(error: unknown): string {
  if (error instanceof ValidationError) {
    const message = error.issues[0]?.message ?? 'the URL is not allowed';
    return message === UNRESOLVED ? COULD_NOT_CONNECT : message;
  }
  // Several addresses tried at once (autoSelectFamily) fail together; the first says enough.
  const first = error instanceof AggregateError ? error.errors[0] : error;
  if (first instanceof ValidationError) return safeErrorMessage(first);
  const code = (first as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code;
  if (typeof code !== 'string') return 'network error';
  const known = NETWORK_ERRORS[code];
  if (known) return known;
  if (code.startsWith('HPE_')) return 'invalid HTTP response';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'TLS error';
  return /^[A-Z0-9_]{1,40}$/.test(code) ? `network error (${code})` : 'network error';
}
