/** The SQS JSON protocol over HTTP, as the AWS SDK v3 speaks it (awsJson1_0, query-compatible errors). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { sendAwsJson } from '../shared/aws-json-response.js';
import { errorText } from '../shared/error-text.js';
import { readBody } from '../shared/read-body.js';
import { MAX_REQUEST_BYTES } from './config.js';
import { errors, SqsError } from './errors.js';
import { OPERATIONS } from './operations.js';
import type { Json } from './parameters.js';
import type { QueueState } from './queue-state.js';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

const respond = (
  response: ServerResponse,
  status: number,
  body: Json,
  headers: Record<string, string> = {},
) => sendAwsJson(response, status, JSON_CONTENT_TYPE, body, headers);

const respondError = (response: ServerResponse, error: SqsError) =>
  respond(
    response,
    error.status,
    { __type: `com.amazonaws.sqs#${error.shape}`, message: error.message },
    { 'x-amzn-query-error': `${error.queryCode};Sender` },
  );

const handle = async (state: QueueState, request: IncomingMessage, response: ServerResponse) => {
  const body = await readBody(request, MAX_REQUEST_BYTES);
  if (body === null) {
    respondError(
      response,
      errors.invalidParameter(`Request must be shorter than ${MAX_REQUEST_BYTES} bytes.`),
    );
    return;
  }
  const target = request.headers['x-amz-target'];
  const operation = typeof target === 'string' && target.startsWith('AmazonSQS.') ? target.slice(10) : '';
  const implementation = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (request.method !== 'POST' || !implementation) {
    respondError(
      response,
      errors.unsupportedOperation(operation || `${request.method} without X-Amz-Target`),
    );
    return;
  }
  let input: unknown;
  try {
    input = body.byteLength === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    respondError(response, errors.invalidParameter('The request body is not valid JSON.'));
    return;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    respondError(response, errors.invalidParameter('The request body must be a JSON object.'));
    return;
  }
  try {
    respond(response, 200, await implementation(state, input as Json));
  } catch (error) {
    if (error instanceof SqsError) {
      respondError(response, error);
      return;
    }
    state.log(`local queue: ${operation} failed: ${errorText(error)}`);
    respond(
      response,
      500,
      { __type: 'com.amazonaws.sqs#InternalError', message: 'We encountered an internal error.' },
      { 'x-amzn-query-error': 'InternalError;Receiver' },
    );
  }
};

/** An HTTP server answering the SQS operations on `state` (not yet listening). */
export const createSqsServer = (state: QueueState): Server =>
  createServer((request, response) => {
    handle(state, request, response).catch((error: unknown) => {
      state.log(`local queue: ${errorText(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
