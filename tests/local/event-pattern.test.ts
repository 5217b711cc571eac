import { describe, expect, it } from 'vitest';
import { ALL_DETAIL_TYPES, DETAIL_TYPES, EVENT_SOURCE } from '../../functions/events/catalogue.js';
import { EVENT_BUS, FORWARD_PATTERN, NOTIFIER_RULE, STREAM_SOURCE } from '../../functions/events/plumbing.js';
import { ENTITY } from '../../functions/storage/keys.js';
import {
  compilePattern,
  type EventPattern,
  InvalidEventPatternError,
  matchesPattern,
  validatePattern,
} from '../../local/eventbridge/event-pattern.js';

// The documented examples below reproduce the Amazon EventBridge User Guide; each block cites its page.

describe('documented examples: Creating Amazon EventBridge event patterns', () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
  const ec2Event = {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
  };

  it('selects the EC2 instance-termination event by source, detail-type and detail.state', () => {
    const pattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
    expect(matchesPattern(pattern, { ...ec2Event, detail: { ...ec2Event.detail, state: 'running' } })).toBe(
      false,
    );
  });

  it('matches any of several values listed for a field', () => {
    expect(matchesPattern({ source: ['aws.ec2', 'aws.fargate'] }, ec2Event)).toBe(true);
    expect(
      matchesPattern({ source: ['aws.ec2', 'aws.fargate'] }, { ...ec2Event, source: 'aws.fargate' }),
    ).toBe(true);
    expect(matchesPattern({ source: ['aws.ec2', 'aws.fargate'] }, { ...ec2Event, source: 'aws.s3' })).toBe(
      false,
    );
  });

  it('does not match when the event lacks a field the pattern names, even nested', () => {
    expect(matchesPattern({ detail: { 'instance-type': ['t3.micro'] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { state: { name: ['terminated'] } } }, ec2Event)).toBe(false);
  });

  it('matches a null field with [null] (Auto Scaling example)', () => {
    const event = {
      version: '0',
      id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
      'detail-type': 'EC2 Instance Launch Successful',
      source: 'aws.autoscaling',
      account: '123456789012',
      time: '2015-11-11T21:31:47Z',
      region: 'us-east-1',
      resources: [],
      detail: { eventVersion: '', responseElements: null },
    };
    const pattern = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    };
    expect(matchesPattern(pattern, event)).toBe(true);
  });

  it('matches numbers in nested objects (Macie example: risk-score 80 and trigger.risk 8)', () => {
    const event = {
      version: '0',
      id: '3e355723-fca9-4de3-9fd7-154c289d6b59',
      'detail-type': 'Macie Alert',
      source: 'aws.macie',
      account: '123456789012',
      time: '2017-04-24T22:28:49Z',
      region: 'us-east-1',
      resources: [
        'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id',
        'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id',
      ],
      detail: {
        'notification-type': 'ALERT_CREATED',
        name: 'Scanning bucket policies',
        tags: ['Custom_Alert', 'Insider'],
        url: 'https://lb00.us-east-1.macie.aws.amazon.com/111122223333/posts/alert_id',
        'alert-arn': 'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_',
        'risk-score': 80,
        trigger: {
          'rule-arn': 'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id',
          'alert-type': 'basic',
          'created-at': '2017-01-02 19:54:00.644000',
          description: 'Alerting on failed enumeration of large number of bucket policies',
          risk: 8,
        },
        'created-at': '2017-04-18T00:21:12.059000',
      },
    };
    const pattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    };
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(matchesPattern({ detail: { 'risk-score': ['80'] } }, event)).toBe(false);
  });
});

describe('documented examples: null values and empty strings', () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
  const event = {
    version: '0',
    id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    account: '123456789012',
    time: '2015-11-11T21:31:47Z',
    region: 'us-east-1',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };

  it('matches an empty string with [""] and null with [null]', () => {
    expect(matchesPattern({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { responseElements: [null] } }, event)).toBe(true);
  });

  it('does not treat null and the empty string as interchangeable', () => {
    expect(matchesPattern({ detail: { eventVersion: [null] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { responseElements: [''] } }, event)).toBe(false);
  });
});

describe('documented examples: arrays in event patterns', () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
  const pattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('matches when the pattern list and the event array intersect', () => {
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matchesPattern(pattern, event)).toBe(true);
  });

  it('does not match when they do not intersect, nor an empty event array', () => {
    expect(matchesPattern(pattern, { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-0'] })).toBe(
      false,
    );
    expect(matchesPattern(pattern, { resources: [] })).toBe(false);
  });
});

describe('documented examples: content filtering', () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html

  it('prefix: matches a time that starts with 2017-10-02', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matchesPattern(pattern, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(matchesPattern(pattern, { time: '2017-10-03T18:43:48Z' })).toBe(false);
  });

  it('prefix: Auto Scaling events from European regions', () => {
    const pattern = { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] };
    expect(matchesPattern(pattern, { source: 'aws.autoscaling', region: 'eu-west-1' })).toBe(true);
    expect(matchesPattern(pattern, { source: 'aws.autoscaling', region: 'us-east-1' })).toBe(false);
  });

  it('prefix with equals-ignore-case: service starting with EventB in any case', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventb']) {
      expect(matchesPattern(pattern, { detail: { service } })).toBe(true);
    }
    expect(matchesPattern(pattern, { detail: { service: 'Lambda' } })).toBe(false);
  });

  it('suffix: FileName ending with .png', () => {
    const pattern = { FileName: [{ suffix: '.png' }] };
    expect(matchesPattern(pattern, { FileName: 'image.png' })).toBe(true);
    expect(matchesPattern(pattern, { FileName: 'image.PNG' })).toBe(false);
    expect(matchesPattern(pattern, { FileName: 'image.png.txt' })).toBe(false);
  });

  it('suffix with equals-ignore-case: FileName ending with .png or .PNG', () => {
    const pattern = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matchesPattern(pattern, { detail: { FileName: 'image.PNG' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { FileName: 'image.Png' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { FileName: 'image.jpg' } })).toBe(false);
  });

  it('anything-but: a string and a number', () => {
    const state = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesPattern(state, { detail: { state: 'running' } })).toBe(true);
    expect(matchesPattern(state, { detail: { state: 'initializing' } })).toBe(false);
    const limit = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(matchesPattern(limit, { detail: { 'x-limit': 124 } })).toBe(true);
    expect(matchesPattern(limit, { detail: { 'x-limit': 123 } })).toBe(false);
  });

  it('anything-but: a list of strings and a list of numbers', () => {
    const states = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matchesPattern(states, { detail: { state: 'running' } })).toBe(true);
    expect(matchesPattern(states, { detail: { state: 'overloaded' } })).toBe(false);
    const limits = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matchesPattern(limits, { detail: { 'x-limit': 150 } })).toBe(true);
    expect(matchesPattern(limits, { detail: { 'x-limit': 200 } })).toBe(false);
  });

  it('anything-but prefix: a state that does not start with init', () => {
    const pattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(matchesPattern(pattern, { detail: { state: 'running' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { state: 'initializing' } })).toBe(false);
  });

  it('numeric: every field must satisfy its range (c-count, d-count, x-limit = 3.018e2)', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matchesPattern(pattern, { detail: { 'c-count': 5, 'd-count': 9.5, 'x-limit': 301.8 } })).toBe(
      true,
    );
    expect(matchesPattern(pattern, { detail: { 'c-count': 0, 'd-count': 9, 'x-limit': 301.8 } })).toBe(false);
    expect(matchesPattern(pattern, { detail: { 'c-count': 3, 'd-count': 10, 'x-limit': 301.8 } })).toBe(
      false,
    );
    expect(matchesPattern(pattern, { detail: { 'c-count': 3, 'd-count': 1, 'x-limit': 302 } })).toBe(false);
    // Numeric matching works with JSON numbers only.
    expect(matchesPattern(pattern, { detail: { 'c-count': '3', 'd-count': 1, 'x-limit': 301.8 } })).toBe(
      false,
    );
  });

  it('cidr: an IP address within 10.0.0.0/24', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(matchesPattern(pattern, { detail: { sourceIPAddress: '10.0.0.0' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { sourceIPAddress: '10.0.0.255' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { sourceIPAddress: '10.0.1.1' } })).toBe(false);
    expect(matchesPattern(pattern, { detail: { sourceIPAddress: 'not an ip' } })).toBe(false);
  });

  it('exists true: matches the event with detail.state and not the one without it', () => {
    const pattern = { detail: { state: [{ exists: true }] } };
    const withState = {
      version: '0',
      id: '7bf73129-1428-4cd3-a780-95db273d1602',
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      account: '123456789012',
      time: '2015-11-11T21:29:54Z',
      region: 'us-east-1',
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
      detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
    };
    const withoutState = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { 'c-count': { c1: 100 } },
    };
    expect(matchesPattern(pattern, withState)).toBe(true);
    expect(matchesPattern(pattern, withoutState)).toBe(false);
  });

  it('exists false: matches an event without detail.c-count, and one where c-count is not a leaf', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    const resources = ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'];
    const withoutCount = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources,
      detail: { state: ['initializing', 'running'] },
    };
    const countObject = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources,
      detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } },
    };
    expect(matchesPattern(pattern, withoutCount)).toBe(true);
    expect(matchesPattern(pattern, countObject)).toBe(true);
    expect(matchesPattern(pattern, { detail: { 'c-count': 3 } })).toBe(false);
  });

  it('combines prefix, anything-but and numeric in one pattern (complex example)', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    };
    const event = {
      time: '2017-10-02T18:43:48Z',
      detail: { state: 'running', 'c-count': 2, 'd-count': 7, 'x-limit': 150 },
    };
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(matchesPattern(pattern, { ...event, time: '2017-10-03T00:00:00Z' })).toBe(false);
    expect(matchesPattern(pattern, { ...event, detail: { ...event.detail, state: 'initializing' } })).toBe(
      false,
    );
    expect(matchesPattern(pattern, { ...event, detail: { ...event.detail, 'x-limit': 300 } })).toBe(false);
  });

  it('uses the last occurrence of a key repeated in the pattern JSON', () => {
    const pattern = JSON.parse(
      '{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}',
    ) as EventPattern;
    expect(matchesPattern(pattern, { detail: { location: 'eu-west' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { location: 'us-east' } })).toBe(false);
  });
});

describe('documented examples: comparison operators', () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html (the summary table; one row per test)

  it('And: Location is "New York" and Day is "Monday"', () => {
    const pattern = { Location: ['New York'], Day: ['Monday'] };
    expect(matchesPattern(pattern, { Location: 'New York', Day: 'Monday' })).toBe(true);
    expect(matchesPattern(pattern, { Location: 'New York', Day: 'Tuesday' })).toBe(false);
  });

  it('Anything-but (ends with): FileName does not end with .png', () => {
    const pattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(matchesPattern(pattern, { FileName: 'notes.txt' })).toBe(true);
    expect(matchesPattern(pattern, { FileName: 'image.png' })).toBe(false);
  });

  it('Anything-but (ignore case): state is anything but "initializing" in any casing', () => {
    const pattern = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
    expect(matchesPattern(pattern, { state: 'running' })).toBe(true);
    expect(matchesPattern(pattern, { state: 'INITIALIZING' })).toBe(false);
  });

  it('Anything-but using a wildcard: FilePath does not include /lib/', () => {
    const pattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(matchesPattern(pattern, { FilePath: '/usr/bin/node' })).toBe(true);
    expect(matchesPattern(pattern, { FilePath: '/usr/lib/node' })).toBe(false);
  });

  it('Begins with: Region is in the US', () => {
    const pattern = { Region: [{ prefix: 'us-' }] };
    expect(matchesPattern(pattern, { Region: 'us-east-1' })).toBe(true);
    expect(matchesPattern(pattern, { Region: 'eu-west-1' })).toBe(false);
  });

  it('Anything-but (begins with): Region is not in the US', () => {
    const pattern = { Region: [{ 'anything-but': { prefix: 'us-' } }] };
    expect(matchesPattern(pattern, { Region: 'eu-west-1' })).toBe(true);
    expect(matchesPattern(pattern, { Region: 'us-east-1' })).toBe(false);
  });

  it('Begins with (ignore case): service starts with "eventb" regardless of case', () => {
    const pattern = { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] };
    expect(matchesPattern(pattern, { service: 'EventBridge' })).toBe(true);
    expect(matchesPattern(pattern, { service: 'SQS' })).toBe(false);
  });

  it('Empty: LastName is empty', () => {
    expect(matchesPattern({ LastName: [''] }, { LastName: '' })).toBe(true);
    expect(matchesPattern({ LastName: [''] }, { LastName: 'Doe' })).toBe(false);
  });

  it('Equals and Equals (ignore case): Name is "Alice"', () => {
    expect(matchesPattern({ Name: ['Alice'] }, { Name: 'Alice' })).toBe(true);
    expect(matchesPattern({ Name: ['Alice'] }, { Name: 'alice' })).toBe(false);
    expect(matchesPattern({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alice' })).toBe(true);
    expect(matchesPattern({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alicia' })).toBe(false);
  });

  it('Ends with (ignore case): service ends with "tBridge" in any casing', () => {
    const pattern = { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] };
    expect(matchesPattern(pattern, { service: 'EVENTBRIDGE' })).toBe(true);
    expect(matchesPattern(pattern, { service: 'eventbus' })).toBe(false);
  });

  it('Exists and Does not exist: ProductName', () => {
    expect(matchesPattern({ ProductName: [{ exists: true }] }, { ProductName: 'Widget' })).toBe(true);
    expect(matchesPattern({ ProductName: [{ exists: true }] }, {})).toBe(false);
    expect(matchesPattern({ ProductName: [{ exists: false }] }, {})).toBe(true);
    expect(matchesPattern({ ProductName: [{ exists: false }] }, { ProductName: 'Widget' })).toBe(false);
  });

  it('Not: Weather is anything but "Raining"', () => {
    const pattern = { Weather: [{ 'anything-but': ['Raining'] }] };
    expect(matchesPattern(pattern, { Weather: 'Sunny' })).toBe(true);
    expect(matchesPattern(pattern, { Weather: 'Raining' })).toBe(false);
  });

  it('Null: UserID is null', () => {
    expect(matchesPattern({ UserID: [null] }, { UserID: null })).toBe(true);
    expect(matchesPattern({ UserID: [null] }, {})).toBe(false);
  });

  it('Numeric (equals) and Numeric (range): Price', () => {
    expect(matchesPattern({ Price: [{ numeric: ['=', 100] }] }, { Price: 100 })).toBe(true);
    expect(matchesPattern({ Price: [{ numeric: ['=', 100] }] }, { Price: 100.5 })).toBe(false);
    const range = { Price: [{ numeric: ['>', 10, '<=', 20] }] };
    expect(matchesPattern(range, { Price: 20 })).toBe(true);
    expect(matchesPattern(range, { Price: 10 })).toBe(false);
  });

  it('Or: PaymentType is "Credit" or "Debit"', () => {
    const pattern = { PaymentType: ['Credit', 'Debit'] };
    expect(matchesPattern(pattern, { PaymentType: 'Debit' })).toBe(true);
    expect(matchesPattern(pattern, { PaymentType: 'Cash' })).toBe(false);
  });

  it('Or (multiple fields): Location is "New York", or Day is "Monday"', () => {
    const pattern: EventPattern = { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] };
    expect(matchesPattern(pattern, { Location: 'New York', Day: 'Friday' })).toBe(true);
    expect(matchesPattern(pattern, { Location: 'Boston', Day: 'Monday' })).toBe(true);
    expect(matchesPattern(pattern, { Location: 'Boston', Day: 'Friday' })).toBe(false);
  });

  it('Wildcard: any file with a .png extension in the folder "dir"', () => {
    const pattern = { FileName: [{ wildcard: 'dir/*.png' }] };
    expect(matchesPattern(pattern, { FileName: 'dir/image.png' })).toBe(true);
    expect(matchesPattern(pattern, { FileName: 'other/image.png' })).toBe(false);
    expect(matchesPattern(pattern, { FileName: 'dir/image.jpg' })).toBe(false);
  });
});

describe('matching beyond the documented examples', () => {
  it('compares numbers numerically and never equal to strings', () => {
    expect(matchesPattern({ n: [300] }, JSON.parse('{"n": 3.0e2}'))).toBe(true);
    expect(matchesPattern({ n: [300] }, { n: '300' })).toBe(false);
    expect(matchesPattern({ n: ['300'] }, { n: 300 })).toBe(false);
  });

  it('matches booleans exactly', () => {
    expect(matchesPattern({ on: [true] }, { on: true })).toBe(true);
    expect(matchesPattern({ on: [true] }, { on: 'true' })).toBe(false);
  });

  it('applies content filters to each element of an event array', () => {
    expect(matchesPattern({ tags: [{ prefix: 'prod-' }] }, { tags: ['dev-a', 'prod-b'] })).toBe(true);
    expect(matchesPattern({ counts: [{ numeric: ['>', 10] }] }, { counts: [1, 2, 30] })).toBe(true);
    expect(matchesPattern({ counts: [{ numeric: ['>', 10] }] }, { counts: [1, 2, 3] })).toBe(false);
  });

  it('matches a nested pattern against an array of objects when one element matches it whole', () => {
    const event = {
      items: [
        { name: 'a', size: 1 },
        { name: 'b', size: 20 },
      ],
    };
    expect(matchesPattern({ items: { name: ['b'], size: [{ numeric: ['>', 10] }] } }, event)).toBe(true);
    expect(matchesPattern({ items: { name: ['a'], size: [{ numeric: ['>', 10] }] } }, event)).toBe(false);
  });

  it('requires a present field for anything-but, but lets it match null', () => {
    const pattern = { foo: [{ 'anything-but': ['baz'] }] };
    expect(matchesPattern(pattern, {})).toBe(false);
    expect(matchesPattern(pattern, { foo: null })).toBe(true);
    expect(matchesPattern(pattern, { foo: { nested: 'baz' } })).toBe(false);
  });

  it('treats a wildcard star as any run of characters and \\* as a literal star', () => {
    expect(matchesPattern({ v: [{ wildcard: '*Title*' }] }, { v: 'A Title here' })).toBe(true);
    expect(matchesPattern({ v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' })).toBe(true);
    expect(matchesPattern({ v: [{ wildcard: 'a\\*b' }] }, { v: 'axb' })).toBe(false);
    expect(matchesPattern({ v: [{ wildcard: 'a.c' }] }, { v: 'abc' })).toBe(false);
  });

  it('evaluates $or next to other fields and nested inside objects', () => {
    const pattern: EventPattern = {
      source: ['app'],
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }],
      },
    };
    expect(matchesPattern(pattern, { source: 'app', detail: { 'c-count': 3 } })).toBe(true);
    expect(matchesPattern(pattern, { source: 'app', detail: { 'd-count': 3 } })).toBe(true);
    expect(matchesPattern(pattern, { source: 'app', detail: { 'c-count': 30, 'd-count': 30 } })).toBe(false);
    expect(matchesPattern(pattern, { source: 'other', detail: { 'c-count': 3 } })).toBe(false);
  });

  it('matches exists:false under a missing parent object', () => {
    expect(matchesPattern({ detail: { flag: [{ exists: false }] } }, { source: 'x' })).toBe(true);
  });

  it('returns a reusable predicate from compilePattern', () => {
    const matches = compilePattern({ source: ['a'] });
    expect([{ source: 'a' }, { source: 'b' }, null, 'text'].map(matches)).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('validatePattern', () => {
  const invalid: [string, unknown, RegExp][] = [
    ['a pattern that is not an object', ['source'], /must be a JSON object/],
    ['an empty pattern', {}, /at least one field/],
    ['a field whose value is a bare string', { source: 'aws.ec2' }, /at source: .*array of values/],
    ['an empty value list', { source: [] }, /at source: .*empty array/],
    [
      'an unknown operator',
      { detail: { state: [{ prefx: 'init' }] } },
      /at detail\.state: unknown operator "prefx"/,
    ],
    ['two operators in one filter', { a: [{ prefix: 'x', suffix: 'y' }] }, /exactly one operator/],
    ['a non-boolean exists', { a: [{ exists: 'yes' }] }, /"exists" takes true or false/],
    ['an unknown numeric operator', { a: [{ numeric: ['!=', 3] }] }, /unknown numeric operator "!="/],
    ['a numeric operand that is a string', { a: [{ numeric: ['>', '3'] }] }, /operands must be numbers/],
    [
      'a numeric range with two lower bounds',
      { a: [{ numeric: ['>', 0, '>=', 5] }] },
      /one lower .* one upper/,
    ],
    ['an empty numeric range', { a: [{ numeric: ['>', 5, '<', 1] }] }, /range is empty/],
    [
      'anything-but mixing strings and numbers',
      { a: [{ 'anything-but': ['x', 1] }] },
      /only strings or only numbers/,
    ],
    [
      'anything-but with an unknown nested operator',
      { a: [{ 'anything-but': { numeric: ['>', 1] } }] },
      /inside "anything-but"/,
    ],
    ['a prefix that is a number', { a: [{ prefix: 1 }] }, /"prefix" takes a string/],
    ['a wildcard with consecutive stars', { a: [{ wildcard: 'a**b' }] }, /consecutive \*/],
    ['a wildcard with an unknown escape', { a: [{ wildcard: 'a\\b' }] }, /escapes/],
    ['a malformed cidr', { a: [{ cidr: '10.0.0.0/33' }] }, /IPv4 block/],
    ['an IPv6 cidr', { a: [{ cidr: '2001:db8::/32' }] }, /IPv4 CIDR blocks only/],
    ['$or with a single alternative', { $or: [{ a: ['x'] }] }, /"\$or" takes an array of at least two/],
    ['a nested array as a value', { a: [['x']] }, /cannot be an array/],
  ];

  it.each(invalid)('rejects %s with a message naming the problem', (_name, pattern, message) => {
    expect(() => validatePattern(pattern)).toThrow(InvalidEventPatternError);
    expect(() => validatePattern(pattern)).toThrow(message);
  });

  it('makes matchesPattern throw for a malformed pattern instead of answering false', () => {
    expect(() => matchesPattern({ source: [] } as unknown as EventPattern, { source: 'x' })).toThrow(
      InvalidEventPatternError,
    );
  });

  it('accepts every pattern the project declares', () => {
    for (const pattern of [
      NOTIFIER_RULE.pattern,
      FORWARD_PATTERN,
      EVENT_BUS.archivePattern,
      ...STREAM_SOURCE.filterPatterns,
    ]) {
      expect(() => validatePattern(pattern)).not.toThrow();
    }
  });
});

describe('the project plumbing patterns', () => {
  const envelope = (source: string, detailType: string) => ({
    version: '0',
    id: '0d079340-135a-c8c6-95c2-41fb8f496c53',
    'detail-type': detailType,
    source,
    account: '000000000000',
    time: '2024-03-12T19:03:58Z',
    region: 'us-east-1',
    resources: [],
    detail: { projectId: 'p-2024-001', schemaVersion: 1 },
  });

  it('routes a MilestoneRecorded event from the tracker to the notifier', () => {
    expect(
      matchesPattern(NOTIFIER_RULE.pattern, envelope(EVENT_SOURCE, DETAIL_TYPES.milestoneRecorded)),
    ).toBe(true);
  });

  it('routes every catalogued detail type to the notifier', () => {
    for (const detailType of ALL_DETAIL_TYPES) {
      expect(matchesPattern(NOTIFIER_RULE.pattern, envelope(EVENT_SOURCE, detailType))).toBe(true);
    }
  });

  it('does not route events from another source or of an unknown type to the notifier', () => {
    expect(matchesPattern(NOTIFIER_RULE.pattern, envelope('aws.ec2', DETAIL_TYPES.milestoneRecorded))).toBe(
      false,
    );
    expect(matchesPattern(NOTIFIER_RULE.pattern, envelope(EVENT_SOURCE, 'SomethingElse'))).toBe(false);
  });

  it('forwards and archives the tracker events only', () => {
    expect(matchesPattern(FORWARD_PATTERN, envelope(EVENT_SOURCE, DETAIL_TYPES.projectAtRisk))).toBe(true);
    expect(matchesPattern(FORWARD_PATTERN, envelope('other.app', DETAIL_TYPES.projectAtRisk))).toBe(false);
    expect(matchesPattern(EVENT_BUS.archivePattern, envelope(EVENT_SOURCE, DETAIL_TYPES.reportOverdue))).toBe(
      true,
    );
  });

  /** A DynamoDB stream record as Lambda receives it (NEW_AND_OLD_IMAGES). */
  const streamRecord = (
    eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
    entity: string,
    sk: string,
  ): Record<string, unknown> => {
    const keys = { PK: { S: 'PROJECT#p-2024-001' }, SK: { S: sk } };
    const image = {
      ...keys,
      entity: { S: entity },
      version: { N: '3' },
      updatedAt: { S: '2024-03-12T19:03:58.120Z' },
    };
    return {
      eventID: 'c81e728d9d4c2f636f067f89cc14862c',
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: 1710270238,
        Keys: keys,
        ...(eventName === 'REMOVE' ? {} : { NewImage: image }),
        ...(eventName === 'INSERT' ? {} : { OldImage: { ...image, version: { N: '2' } } }),
        SequenceNumber: '4421584500000000017450439091',
        SizeBytes: 182,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN:
        'arn:aws:dynamodb:us-east-1:000000000000:table/livelihood-tracker-local/stream/2024-03-12T00:00:00.000',
    };
  };
  const [milestonePattern, regionPattern] = STREAM_SOURCE.filterPatterns;
  const passesFilters = (record: unknown) =>
    STREAM_SOURCE.filterPatterns.some((pattern) => matchesPattern(pattern, record));
  const milestoneSk = 'MILESTONE#2024-03-10#2024-03-12T19:03:58.120Z#m-1';

  it('lets a new milestone through the first stream filter', () => {
    expect(matchesPattern(milestonePattern, streamRecord('INSERT', ENTITY.milestone, milestoneSk))).toBe(
      true,
    );
  });

  it('lets a new or changed region aggregate through the second stream filter', () => {
    expect(matchesPattern(regionPattern, streamRecord('INSERT', ENTITY.region, 'STATE#REGION'))).toBe(true);
    expect(matchesPattern(regionPattern, streamRecord('MODIFY', ENTITY.region, 'STATE#REGION'))).toBe(true);
  });

  it('keeps a changed province state, a changed milestone and a removal out of the publisher', () => {
    expect(passesFilters(streamRecord('MODIFY', ENTITY.province, 'STATE#PROVINCE#shanghai'))).toBe(false);
    expect(passesFilters(streamRecord('INSERT', ENTITY.province, 'STATE#PROVINCE#shanghai'))).toBe(false);
    expect(passesFilters(streamRecord('MODIFY', ENTITY.milestone, milestoneSk))).toBe(false);
    expect(passesFilters(streamRecord('REMOVE', ENTITY.region, 'STATE#REGION'))).toBe(false);
  });
});
