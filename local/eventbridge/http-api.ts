/** The bus's HTTP endpoint: the JSON 1.1 protocol for `AWSEvents.PutEvents`, and nothing else. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { sendAwsJson } from '../shared/aws-json-response.js';
import { errorMessage } from '../shared/error-text.js';
import { readBody } from '../shared/read-body.js';
import { AwsError } from './aws-error.js';

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

const sendError = (response: ServerResponse, error: AwsError) =>
  sendAwsJson(response, error.status, JSON_CONTENT_TYPE, { __type: error.type, message: error.message });

const respond = async (
  putEvents: (body: unknown) => Promise<unknown>,
  request: IncomingMessage,
  response: ServerResponse,
) => {
  const raw = await readBody(request, MAX_REQUEST_BYTES);
  if (request.method !== 'POST') {
    throw new AwsError(
      'UnknownOperationException',
      `The local event bus expects POST, not ${request.method}.`,
    );
  }
  const operation = String(request.headers['x-amz-target'] ?? '');
  if (operation !== 'AWSEvents.PutEvents') {
    throw new AwsError(
      'UnknownOperationException',
      `The local event bus supports only AWSEvents.PutEvents${operation ? `, not ${operation}` : ''}.`,
    );
  }
  if (raw === null) {
    throw new AwsError('ValidationException', `The request body exceeds ${MAX_REQUEST_BYTES} bytes.`, 413);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  sendAwsJson(response, 200, JSON_CONTENT_TYPE, await putEvents(body));
};

/** An HTTP server handing PutEvents bodies to `putEvents` (not yet listening). */
export const createEventBusServer = (
  putEvents: (body: unknown) => Promise<unknown>,
  log: (line: string) => void,
): Server =>
  createServer((request, response) => {
    respond(putEvents, request, response).catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof AwsError) {
        sendError(response, error);
      } else {
        log(`[eventbridge] PutEvents failed: ${errorMessage(error)}`);
        sendError(
          response,
          new AwsError('InternalException', 'The local event bus failed to store the events.', 500),
        );
      }
    });
  });
