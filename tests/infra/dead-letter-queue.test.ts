import { App, Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { createDeadLetterQueue, createWorkQueue, deadLetterQueuesIn } from '../../lib/dead-letter-queue.js';
import { AlarmTopic } from '../../lib/monitoring/alarm-topic.js';
import { STAGES } from '../../lib/stage-config.js';

const WORK = { visibilityTimeoutSeconds: 60, retentionDays: 4, maxReceiveCount: 5 };

describe('deadLetterQueuesIn', () => {
  it('finds every dead-letter queue made under a scope, however deep, with what it holds and where it came from', () => {
    const stack = new Stack(new App(), 'Queues');
    const nested = new Construct(new Construct(stack, 'Outer'), 'Inner');
    const lonely = createDeadLetterQueue(nested, 'Lonely', 'Runs that failed.');
    const { queue, deadLetterQueue } = createWorkQueue(
      stack,
      { queue: 'Work', deadLetters: 'WorkDeadLetters' },
      WORK,
      Duration.seconds(30),
      'Work that failed five times.',
    );

    const found = deadLetterQueuesIn(stack);
    expect(found).toHaveLength(2);
    expect(found).toContainEqual({ queue: lonely, holds: 'Runs that failed.' });
    expect(found).toContainEqual({
      queue: deadLetterQueue,
      holds: 'Work that failed five times.',
      source: queue,
    });
    // The work queue itself is no dead-letter queue; another scope's queues are not found.
    expect(found.map((d) => d.queue)).not.toContain(queue);
    expect(deadLetterQueuesIn(nested).map((d) => d.queue)).toEqual([lonely]);
  });
});

describe('the alarm topic', () => {
  it('refuses an alarm e-mail that is no address', () => {
    const stack = new Stack(new App(), 'Topic');
    expect(() => new AlarmTopic(stack, 'Bad', { ...STAGES.dev, alarmEmails: ['ops.example.org'] })).toThrow(
      /ops\.example\.org/,
    );
    expect(
      () => new AlarmTopic(stack, 'Good', { ...STAGES.dev, alarmEmails: ['ops@example.org'] }),
    ).not.toThrow();
  });
});
