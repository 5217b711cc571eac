import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** Answers as AWS JSON-protocol services do: the body, its length and a fresh request id. */
export const sendAwsJson = (
  response: ServerResponse,
  status: number,
  contentType: string,
  payload: unknown,
  headers: Record<string, string> = {},
): void => {
  const body = Buffer.from(JSON.stringify(payload));
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': body.byteLength,
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(body);
};
