/**
 * The Embedded Metric Format documents a batch of metrics becomes: checked against the EMF
 * specification's structure and against the exact JSON CloudWatch is to receive.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { METRIC, METRIC_NAMESPACE } from '../../../functions/observability/metric-names.js';
import { EMF_MAX_VALUES, MetricsBatch } from '../../../functions/observability/metrics.js';

const AT = new Date('2024-06-30T04:00:00.000Z');

/**
 * The EMF specification's document structure (docs.aws.amazon.com, "Specification: Embedded
 * metric format"): a root `_aws` with an integer Timestamp and metric directives, each with a
 * namespace, dimension sets of at most 30 keys and at most 100 metric definitions of a known unit.
 */
const EMF_SCHEMA = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      required: ['Timestamp', 'CloudWatchMetrics'],
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['Namespace', 'Dimensions', 'Metrics'],
            additionalProperties: false,
            properties: {
              Namespace: { type: 'string', minLength: 1, maxLength: 1024 },
              Dimensions: {
                type: 'array',
                items: {
                  type: 'array',
                  maxItems: 30,
                  items: { type: 'string', minLength: 1, maxLength: 250 },
                },
              },
              Metrics: {
                type: 'array',
                maxItems: 100,
                items: {
                  type: 'object',
                  required: ['Name'],
                  additionalProperties: false,
                  properties: {
                    Name: { type: 'string', minLength: 1, maxLength: 1024 },
                    Unit: {
                      enum: ['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Count', 'Percent', 'None'],
                    },
                    StorageResolution: { enum: [1, 60] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
const validate = new Ajv({ allErrors: true, strict: true }).compile(EMF_SCHEMA);

/**
 * The structure, and the target members the specification requires besides it: every dimension a
 * set names is a string member of the root, every metric a number or at most 100 numbers.
 */
const expectValidEmf = (document: Record<string, unknown>) => {
  expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  const directives = (document._aws as { CloudWatchMetrics: Record<string, unknown>[] }).CloudWatchMetrics;
  for (const directive of directives) {
    for (const key of (directive.Dimensions as string[][]).flat()) {
      expect(typeof document[key], `dimension ${key}`).toBe('string');
    }
    for (const { Name } of directive.Metrics as { Name: string }[]) {
      const value = document[Name];
      if (Array.isArray(value)) {
        expect(value.length).toBeGreaterThan(0);
        expect(value.length).toBeLessThanOrEqual(EMF_MAX_VALUES);
        for (const item of value) expect(typeof item).toBe('number');
      } else {
        expect(typeof value, `metric ${Name}`).toBe('number');
      }
    }
  }
};

describe('an invocation’s metrics as EMF documents', () => {
  it('writes a correction as one document per dimension set, in the exact shape CloudWatch reads', () => {
    const batch = new MetricsBatch();
    batch.add(METRIC.reportsRecorded, 1, { projectId: 'rail-2024' });
    batch.add(METRIC.corrections);

    const documents = batch.documents('prod', AT);

    expect(documents).toEqual([
      {
        _aws: {
          Timestamp: AT.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: METRIC_NAMESPACE,
              Dimensions: [['stage'], ['stage', 'projectId']],
              Metrics: [{ Name: 'ReportsRecorded', Unit: 'Count' }],
            },
          ],
        },
        stage: 'prod',
        projectId: 'rail-2024',
        ReportsRecorded: 1,
      },
      {
        _aws: {
          Timestamp: AT.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: 'LivelihoodTracker',
              Dimensions: [['stage']],
              Metrics: [{ Name: 'Corrections', Unit: 'Count' }],
            },
          ],
        },
        stage: 'prod',
        Corrections: 1,
      },
    ]);
    for (const document of documents) expectValidEmf(document);
  });

  it('puts every metric with `stage` alone in one document, counts summed', () => {
    const batch = new MetricsBatch();
    batch.add(METRIC.eventsPublished, 3);
    batch.add(METRIC.thresholdsReached);
    batch.add(METRIC.eventsPublished, 2);
    batch.add(METRIC.publishFailures);

    const [document, ...others] = batch.documents('dev', AT);

    expect(others).toEqual([]);
    expect(document).toMatchObject({
      stage: 'dev',
      EventsPublished: 5,
      ThresholdsReached: 1,
      PublishFailures: 1,
    });
    expect(document?._aws).toMatchObject({
      CloudWatchMetrics: [
        {
          Dimensions: [['stage']],
          Metrics: [
            { Name: 'EventsPublished', Unit: 'Count' },
            { Name: 'ThresholdsReached', Unit: 'Count' },
            { Name: 'PublishFailures', Unit: 'Count' },
          ],
        },
      ],
    });
    expectValidEmf(document ?? {});
  });

  it('keeps each project apart: one document per project, each also counted under `stage` alone', () => {
    const batch = new MetricsBatch();
    batch.add(METRIC.reportsRecorded, 1, { projectId: 'rail-2024' });
    batch.add(METRIC.reportsRecorded, 1, { projectId: 'ev-charging-2024' });
    batch.add(METRIC.reportsRecorded, 1, { projectId: 'rail-2024' });

    const documents = batch.documents('prod', AT);

    expect(documents.map(({ projectId, ReportsRecorded }) => ({ projectId, ReportsRecorded }))).toEqual([
      { projectId: 'rail-2024', ReportsRecorded: 2 },
      { projectId: 'ev-charging-2024', ReportsRecorded: 1 },
    ]);
    for (const document of documents) expectValidEmf(document);
  });

  it('never makes a dimension of what metric-names.ts does not declare for the metric (no ids)', () => {
    const batch = new MetricsBatch();
    batch.add(METRIC.deliveriesFailed, 1, { subscriptionId: 'sub-1', eventId: 'ev-1' });
    batch.add(METRIC.reportsRecorded, 1, { projectId: 'rail-2024', milestoneId: 'm-1' });

    const documents = batch.documents('prod', AT);
    const text = JSON.stringify(documents);

    expect(text).not.toContain('sub-1');
    expect(text).not.toContain('ev-1');
    expect(text).not.toContain('m-1');
    expect(
      documents.map(
        (d) => (d._aws as { CloudWatchMetrics: { Dimensions: unknown }[] }).CloudWatchMetrics[0]?.Dimensions,
      ),
    ).toEqual([[['stage']], [['stage'], ['stage', 'projectId']]]);
  });

  it('gives latency in milliseconds as the values measured, not their sum', () => {
    const batch = new MetricsBatch();
    batch.add(METRIC.deliveriesSucceeded);
    batch.add(METRIC.deliveryLatency, 1200);
    batch.add(METRIC.deliveriesSucceeded);
    batch.add(METRIC.deliveryLatency, 340);

    const [document] = batch.documents('prod', AT);

    expect(document).toMatchObject({ DeliveriesSucceeded: 2, DeliveryLatency: [1200, 340] });
    expect(document?._aws).toMatchObject({
      CloudWatchMetrics: [
        {
          Metrics: [
            { Name: 'DeliveriesSucceeded', Unit: 'Count' },
            { Name: 'DeliveryLatency', Unit: 'Milliseconds' },
          ],
        },
      ],
    });
    expectValidEmf(document ?? {});
  });

  it('splits more values than one document may hold over several documents, counts in the first only', () => {
    const batch = new MetricsBatch();
    batch.add(METRIC.deliveriesSucceeded, 250);
    for (let i = 0; i < 250; i++) batch.add(METRIC.deliveryLatency, i);

    const documents = batch.documents('prod', AT);

    expect(documents.map((d) => (d.DeliveryLatency as number[]).length)).toEqual([100, 100, 50]);
    expect(documents.map((d) => d.DeliveriesSucceeded)).toEqual([250, undefined, undefined]);
    expect(documents.flatMap((d) => d.DeliveryLatency as number[])).toEqual(
      Array.from({ length: 250 }, (_, i) => i),
    );
    for (const document of documents) expectValidEmf(document);
  });

  it('is empty once its documents are taken, and has none before anything is added', () => {
    const batch = new MetricsBatch();
    expect(batch.empty).toBe(true);
    expect(batch.documents('prod', AT)).toEqual([]);
    batch.add(METRIC.watchdogRuns);
    expect(batch.empty).toBe(false);
    expect(batch.documents('prod', AT)).toHaveLength(1);
    expect(batch.empty).toBe(true);
    expect(batch.documents('prod', AT)).toEqual([]);
  });

  it('records a count of 0 (a watchdog run that wrote no notice is data)', () => {
    const batch = new MetricsBatch();
    batch.add(METRIC.watchdogNotices, 0);
    expect(batch.documents('prod', AT)[0]).toMatchObject({ WatchdogNotices: 0 });
  });
});
