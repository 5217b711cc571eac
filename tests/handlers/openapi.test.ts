import { describe, expect, it } from 'vitest';
import { createOpenApiHandler, SERVED_SERVER_URL } from '../../functions/handlers/openapi.js';
import { buildOpenApiDocument } from '../../functions/http/spec/index.js';
import { httpEvent, lambdaContext } from '../support/fixtures.js';

describe('GET /openapi.json, served from the committed document', () => {
  it('answers byte for byte the document the schemas give, naming the API that serves it', async () => {
    const result = await createOpenApiHandler()(httpEvent({ path: '/openapi.json' }), lambdaContext());
    expect(result.statusCode).toBe(200);
    // The same bytes as when the handler built the document itself: the same ETag, so that the
    // copies clients hold stay current across the change.
    expect(result.body).toBe(JSON.stringify(buildOpenApiDocument({ serverUrl: SERVED_SERVER_URL })));
    expect(JSON.parse(result.body).servers).toEqual([
      { url: '/', description: 'The API that serves this document' },
    ]);
  });
});
