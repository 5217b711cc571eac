/**
 * Following one report on the local runtime, as README "Following one report" does in AWS: its
 * correlation id comes back from the POST, and the same id is in the delivery log and on every
 * line the functions wrote on the way, from the request to each webhook attempt. The runtime
 * writes JSON lines here (LOG_FORMAT=json), one per line, as Lambda passes them to CloudWatch.
 */
import { describe, expect, it } from 'vitest';
import { settle } from '../support/runtime-process.js';
import { runtimeSession } from '../support/runtime-session.js';

const session = runtimeSession('follow', { LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
const { api, sink, subscribe, report, waitFor, deliveriesOf } = session;

/** The runtime's JSON lines with this correlation id: what a Logs Insights filter on it returns. */
const linesOf = (correlationId: string) =>
  (session.runtime()?.output() ?? '')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.correlationId === correlationId);

describe('one report followed from its POST to every webhook attempt', () => {
  it('carries the caller’s X-Correlation-Id through the milestone, the event, the delivery log and every line', async () => {
    let attempts = 0;
    // The first attempt fails: the id must be on the retry too.
    const target = await sink(() => (++attempts === 1 ? { status: 503 } : { status: 204 }));
    const subscription = await subscribe('anhui', target.url, ['elderly-care-2024']);

    const correlationId = 'anhui-elderly-care-2024-06-30.follow';
    const posted = await api(
      'POST',
      '/projects/elderly-care-2024/milestones',
      'anhui',
      { value: 12, asOf: '2024-06-30' },
      { 'idempotency-key': 'follow-1', 'x-correlation-id': correlationId },
    );
    expect(posted.status).toBe(201);
    expect(posted.headers.get('x-correlation-id')).toBe(correlationId);
    expect(posted.json.milestone.correlationId).toBe(correlationId);

    await waitFor(() => (attempts >= 2 ? true : undefined), 60_000, 'the second webhook attempt');
    await settle(session.runtime());

    const [first, second] = target.received.map((hook) => JSON.parse(hook.body));
    expect(first.data).toMatchObject({ milestoneId: posted.json.milestone.id, correlationId });
    expect(second.data.eventId).toBe(first.data.eventId);

    const [delivery] = await deliveriesOf(subscription.id, 'anhui');
    expect(delivery).toMatchObject({
      eventId: first.data.eventId,
      correlationId,
      status: 'delivered',
      attempts: 2,
    });

    const lines = linesOf(correlationId);
    expect(lines.map((line) => line.message)).toEqual([
      'request',
      'event published',
      'event fanned out',
      'webhook attempt failed; retrying',
      'webhook delivered',
    ]);
    expect(lines[0]).toMatchObject({
      route: 'POST /projects/{projectId}/milestones',
      status: 201,
      projectId: 'elderly-care-2024',
      province: 'anhui',
    });
    for (const line of lines.slice(1)) expect(line.eventId).toBe(first.data.eventId);
    expect(lines.slice(3).map((line) => line.subscriptionId)).toEqual([subscription.id, subscription.id]);
    // The terminal's own line per request, beside the functions' JSON lines.
    expect(session.runtime()?.output()).toMatch(
      /^POST \/projects\/elderly-care-2024\/milestones 201 \d+ms$/m,
    );
  }, 120_000);

  it("uses the API's request id when the caller sends none, or one that is not a sane token", async () => {
    for (const offered of [undefined, 'not a token']) {
      const posted = await report('elderly-care-2024', 'jiangsu', { value: 5, asOf: '2024-06-30' });
      const answered = offered
        ? await api(
            'POST',
            '/projects/elderly-care-2024/milestones',
            'jiangsu',
            { value: 6, asOf: '2024-06-30' },
            { 'idempotency-key': 'follow-insane', 'x-correlation-id': offered },
          )
        : posted;
      expect(answered.status).toBe(201);
      const requestId = answered.headers.get('apigw-requestid');
      expect(requestId).toBeTruthy();
      expect(answered.headers.get('x-correlation-id')).toBe(requestId);
      expect(answered.json.milestone.correlationId).toBe(requestId);
    }
  }, 60_000);
});
