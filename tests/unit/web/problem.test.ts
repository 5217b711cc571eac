import { describe, expect, it } from 'vitest';
import { problemFromResponse } from '../../../web/src/problem.js';

describe('problemFromResponse', () => {
  it('takes the title and detail of a problem document', () => {
    const body = JSON.stringify({
      title: 'The request is not valid',
      detail: 'year must be a number',
      status: 400,
    });
    expect(problemFromResponse(400, 'application/problem+json', body)).toEqual({
      status: 400,
      title: 'The request is not valid',
      detail: 'year must be a number',
    });
  });

  it('takes the message of an API Gateway error', () => {
    expect(problemFromResponse(401, 'application/json', '{"message":"Unauthorized"}')).toEqual({
      status: 401,
      title: 'Unauthorized',
      detail: null,
    });
  });

  it('keeps only the status of a body that is not JSON or not what it claims', () => {
    expect(problemFromResponse(502, 'text/html', '<h1>Bad gateway</h1>')).toEqual({
      status: 502,
      title: null,
      detail: null,
    });
    expect(problemFromResponse(500, 'application/json', 'oops')).toEqual({
      status: 500,
      title: null,
      detail: null,
    });
  });
});
