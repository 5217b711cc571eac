import { describe, expect, it } from 'vitest';
import { compactMetricsLine, localMetricsOutput } from '../../local/metrics-output.js';

const document = {
  _aws: {
    Timestamp: 1,
    CloudWatchMetrics: [{ Namespace: 'LivelihoodTracker', Dimensions: [], Metrics: [] }],
  },
  stage: 'local',
  projectId: 'rail-2024',
  ReportsRecorded: 1,
};

describe("the local runtime's metrics", () => {
  it('stay out of the terminal unless LOCAL_METRICS=1', () => {
    const lines: string[] = [];
    localMetricsOutput({}, (line) => lines.push(line))([document]);
    localMetricsOutput({ LOCAL_METRICS: '0' }, (line) => lines.push(line))([document]);
    expect(lines).toEqual([]);
  });

  it('are printed one short line per document with LOCAL_METRICS=1, without the EMF directive', () => {
    const lines: string[] = [];
    localMetricsOutput({ LOCAL_METRICS: '1' }, (line) => lines.push(line))([
      document,
      { _aws: {}, stage: 'local', DeliveriesSucceeded: 2, DeliveryLatency: [120, 85] },
    ]);
    expect(lines).toEqual([
      '  [metrics] stage=local projectId=rail-2024 ReportsRecorded=1',
      '  [metrics] stage=local DeliveriesSucceeded=2 DeliveryLatency=120,85',
    ]);
  });

  it('compact a document to its dimensions and values', () => {
    expect(compactMetricsLine(document)).toBe('stage=local projectId=rail-2024 ReportsRecorded=1');
  });
});
