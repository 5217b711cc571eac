import { describe, expect, it } from 'vitest';
import { createListProjectsHandler } from '../../functions/handlers/list-projects.js';
import { httpEvent, lambdaContext, MID_2024 } from '../support/fixtures.js';
import { mockedDocumentClient } from '../support/mock-db.js';

/** A year that is not a number is refused before the database is asked anything. */
const refusedYear = (headers: Record<string, string>) => {
  const { db } = mockedDocumentClient();
  return createListProjectsHandler({ db, tableName: 'tracker-test', now: () => MID_2024 })(
    httpEvent({ path: '/projects', query: { year: 'last' }, headers }),
    lambdaContext(),
  );
};

describe('the language of a problem', () => {
  it('is Chinese when Accept-Language ranks Chinese first, field errors included', async () => {
    const result = await refusedYear({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(result.statusCode).toBe(400);
    expect(result.headers).toMatchObject({ 'content-language': 'zh', vary: 'accept-language' });
    expect(JSON.parse(result.body)).toMatchObject({
      title: '请求无效',
      detail: '查询参数无效。',
      errors: [{ field: 'year', message: '应为数字，实际为NaN' }],
    });
  });

  it('is English otherwise', async () => {
    const result = await refusedYear({});
    expect(result.headers['content-language']).toBe('en');
    expect(JSON.parse(result.body)).toMatchObject({
      title: 'The request is not valid',
      errors: [{ field: 'year', message: 'Invalid input: expected number, received NaN' }],
    });
  });
});
