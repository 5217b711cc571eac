/**
 * What the local gateway sends back: a handler's payload 2.0 result as API Gateway turns it into
 * an HTTP response, written in one go (status line, headers and body in a single socket write).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface GatewayResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  /** Text as the handler returned it, or the bytes of a base64 result. */
  body: string | Buffer;
}

/** Payload 2.0 responses: a structured result, or anything else sent as a 200 JSON body. */
export const normalizeResult = (result: unknown): GatewayResult => {
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
    const given = structured.headers ?? {};
    for (const name of Object.keys(given)) {
      const value = given[name];
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
    const text = structured.body === undefined || structured.body === null ? '' : String(structured.body);
    return {
      statusCode: structured.statusCode,
      headers,
      cookies: Array.isArray(structured.cookies) ? structured.cookies.map(String) : [],
      body: structured.isBase64Encoded === true ? Buffer.from(text, 'base64') : text,
    };
  }
  const text = typeof result === 'string' ? result : (JSON.stringify(result) ?? '');
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: text };
};

/**
 * Writes `result` with the gateway's own headers (CORS, `apigw-requestid`, the length) added. One
 * writeHead and one end: a text body goes out with the headers in a single write.
 */
export const writeResult = (
  request: IncomingMessage,
  response: ServerResponse,
  result: GatewayResult,
  gatewayHeaders: Record<string, string>,
): void => {
  const headers: OutgoingHttpHeaders = { ...result.headers, ...gatewayHeaders };
  if (result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  headers['content-length'] =
    typeof result.body === 'string' ? Buffer.byteLength(result.body) : result.body.byteLength;
  // A refused body may still be arriving: the connection cannot carry another request.
  if (result.statusCode === 413) headers.connection = 'close';
  response.writeHead(result.statusCode, headers);
  response.end(request.method === 'HEAD' ? undefined : result.body);
};
