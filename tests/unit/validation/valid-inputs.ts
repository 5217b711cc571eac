/**
 * A valid input of every compiled schema, by its export name: what the differential test mutates.
 * More than one where optional fields change the path taken (absent, present).
 */
const eventId = '0b3c3f9e-1d2a-4c5b-8e7f-9a0b1c2d3e4f';
const recordedBy = { subject: 'sub-1', username: 'js-editor', role: 'jiangsu' };
const common = {
  eventId,
  schemaVersion: 1,
  projectId: 'rail-2024',
  occurredAt: '2024-06-30T01:02:03.456Z',
  correlationId: 'req-1',
};
const milestone = {
  ...common,
  province: 'jiangsu',
  milestoneId: 'm-1',
  valueBefore: null,
  valueAfter: 210.5,
  asOfBefore: null,
  asOf: '2024-06-30',
  currentValue: 210.5,
  note: '沪苏湖铁路',
  evidenceUrl: 'https://example.gov.cn/a',
  recordedBy,
};

export const VALID_INPUTS: Readonly<Record<string, readonly unknown[]>> = {
  projectBody: [
    { year: 2024, name: { zh: '铁路', en: 'Rail' } },
    {
      year: 2024,
      name: { zh: ' 铁路 ', en: 'Rail' },
      metric: { zh: '里程', en: 'Length' },
      unit: { zh: '公里', en: 'km' },
      allowDecimals: true,
      target: 100,
      targetIsMinimum: false,
      aggregation: 'each',
      startDate: '2024-01-01',
      deadline: '2024-12-31',
      provinceTargets: { shanghai: 10, anhui: 5 },
      reportingIntervalDays: 30,
      atRiskTolerancePoints: 10,
    },
  ],
  projectListQuery: [{ year: '2024' }],
  milestoneReportBody: [
    { value: 210, asOf: '2024-06-30' },
    {
      value: 0.5,
      asOf: '2024-02-29',
      note: ' 进展\n\tok ',
      evidenceUrl: 'https://example.gov.cn/a?b=c',
      correctionReason: 'typo',
      province: 'anhui',
    },
  ],
  milestoneHistoryQuery: [{}, { province: 'anhui', limit: '50', cursor: 'abc' }],
  subscriptionBody: [
    { url: 'https://hooks.example.com/x' },
    {
      url: 'https://hooks.example.com/x',
      eventTypes: ['MilestoneRecorded', 'ReportOverdue'],
      projectIds: ['rail-2024'],
      provinces: ['shanghai', 'zhejiang'],
      description: ' mine ',
    },
  ],
  replayBody: [{ since: '2024-06-30T00:00:00Z' }, { since: '2024-06-30T08:00:00+08:00' }],
  deliveriesQuery: [{}, { limit: '10' }],
  milestoneRecordedDetail: [{ ...milestone, kind: 'report' }],
  milestoneCorrectedDetail: [
    {
      ...milestone,
      valueBefore: 300,
      asOfBefore: '2024-05-31',
      kind: 'correction',
      correctionReason: 'typo',
    },
  ],
  progressThresholdReachedDetail: [
    {
      ...common,
      threshold: 50,
      target: 100,
      aggregation: 'sum',
      percentBefore: 40,
      percentAfter: 55,
      totalBefore: 40,
      totalAfter: 55,
      province: 'anhui',
      asOf: '2024-06-30',
      recordedBy,
    },
  ],
  reportOverdueDetail: [
    {
      ...common,
      province: 'zhejiang',
      lastReportedAt: '2024-05-01T00:00:00+08:00',
      lastAsOf: '2024-04-30',
      daysSinceLastReport: 40,
      reportingIntervalDays: 30,
      currentValue: 0,
    },
  ],
  projectAtRiskDetail: [
    {
      ...common,
      atRisk: true,
      status: 'at-risk',
      percent: 20,
      expectedPercent: 50,
      tolerancePoints: 10,
      target: null,
    },
  ],
};
