/**
 * The demonstration's 2024: what `npm run demo` records through the API, in order, so that a
 * first look shows progress, history, statuses and corrections. The rail figures and dates are
 * public (the four openings of 2024, their lengths and provinces, with their sources); every
 * other figure is invented for the demonstration (`source: null`) and is marked as such wherever
 * it is shown.
 */
import type { CalendarDate } from '../../functions/domain/calendar.js';
import type { SourceKey } from '../../functions/domain/catalogue/item.js';
import type { Scope } from '../../functions/domain/metric.js';
import type { Province } from '../../functions/domain/provinces.js';

export interface DemoReport {
  kind: 'report';
  projectId: string;
  metricId: string;
  scope: Scope;
  value: number;
  asOf: CalendarDate;
  note?: string;
  correctionReason?: string;
  /** Where the figure is public; null for a figure invented for the demonstration. */
  source: SourceKey | null;
}

export interface DemoCompletion {
  kind: 'completion';
  projectId: string;
  deliverableId: string;
  /** The office that marks it done. */
  by: Province;
  doneOn: CalendarDate;
  source: SourceKey;
}

export type DemoStep = DemoReport | DemoCompletion;

const QUARTERS = ['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31'] as const;

/** Invented quarterly figures of one scope. */
const quarterly = (
  projectId: string,
  metricId: string,
  scope: Scope,
  values: readonly number[],
): DemoReport[] =>
  values.map((value, index) => ({
    kind: 'report',
    projectId,
    metricId,
    scope,
    value,
    asOf: QUARTERS[index] as CalendarDate,
    source: null,
  }));

const rail = (
  scope: Province,
  value: number,
  asOf: CalendarDate,
  source: SourceKey | null,
  text: { note?: string; correctionReason?: string },
): DemoReport => ({
  kind: 'report',
  projectId: 'rail-2024',
  metricId: 'new-railway',
  scope,
  value,
  asOf,
  source,
  ...text,
});

const RAIL: DemoStep[] = [
  rail('anhui', 125, '2024-04-26', 'chihuang', { note: '池黄高铁建成通车，新增 125 公里' }),
  {
    kind: 'completion',
    projectId: 'rail-2024',
    deliverableId: 'chihuang',
    by: 'anhui',
    doneOn: '2024-04-26',
    source: 'chihuang',
  },
  rail('zhejiang', 276, '2024-09-06', 'hangwen', { note: '杭温高铁建成通车' }),
  rail('zhejiang', 260, '2024-09-06', 'hangwen', {
    correctionReason: '276 公里为正线全长，新建里程约 260 公里',
  }),
  {
    kind: 'completion',
    projectId: 'rail-2024',
    deliverableId: 'hangwen',
    by: 'zhejiang',
    doneOn: '2024-09-06',
    source: 'hangwen',
  },
  rail('anhui', 240, '2024-10-11', 'xuanji', { note: '宣绩高铁建成通车，按报道的 115 公里计' }),
  rail('anhui', 236.6, '2024-10-11', 'xuanji', {
    correctionReason: '宣绩高铁新建里程为 111.6 公里，115 公里是报道中的线路长度',
  }),
  rail('shanghai', 64.8, '2024-12-26', 'husuhu', { note: '沪苏湖高铁建成通车，上海段 64.8 公里' }),
  rail('jiangsu', 52, '2024-12-26', null, {
    note: '沪苏湖高铁建成通车（演示数据：江苏、浙江两段的里程未公布，此处为虚构分配）',
  }),
  rail('zhejiang', 307, '2024-12-26', null, {
    note: '沪苏湖高铁浙江段通车后累计（演示数据：分段里程未公布）',
  }),
  {
    kind: 'completion',
    projectId: 'rail-2024',
    deliverableId: 'husuhu',
    by: 'shanghai',
    doneOn: '2024-12-26',
    source: 'husuhu',
  },
];

const CHARGING: DemoStep[] = [
  ...quarterly('ev-charging-2024', 'new-public-piles', 'shanghai', [3_100, 6_800, 10_200, 13_600]),
  ...quarterly('ev-charging-2024', 'new-public-piles', 'jiangsu', [5_200, 11_000, 16_900, 22_400]),
  ...quarterly('ev-charging-2024', 'new-public-piles', 'zhejiang', [4_800, 10_500, 16_800, 23_100]),
  ...quarterly('ev-charging-2024', 'new-public-piles', 'anhui', [2_100, 5_200, 8_900, 12_400]),
  ...quarterly('ev-charging-2024', 'vehicle-pile-ratio', 'region', [2.06, 2.0, 1.94, 1.88]),
  ...quarterly('ev-charging-2024', 'cumulative-public-piles', 'region', [545_000, 566_000, 590_000, 612_000]),
];

const SERVICES: DemoStep[] = [
  ...quarterly('virtual-windows-2024', 'virtual-window-sites', 'shanghai', [12, 25, 38, 52]),
  ...quarterly('virtual-windows-2024', 'virtual-window-sites', 'jiangsu', [15, 30, 44, 58]),
  ...quarterly('virtual-windows-2024', 'virtual-window-sites', 'zhejiang', [14, 28, 41, 55]),
  ...quarterly('virtual-windows-2024', 'virtual-window-sites', 'anhui', [6, 14, 22, 29]),
  ...quarterly('virtual-windows-2024', 'services-online', 'region', [120, 150, 178, 205]),
  ...quarterly('virtual-windows-2024', 'cities-covered', 'region', [26, 33, 38, 41]),
];

const INSURANCE: DemoStep[] = [
  ...quarterly('medical-insurance-2024', 'assisted-reproduction-items', 'shanghai', [12]),
  ...quarterly('medical-insurance-2024', 'assisted-reproduction-items', 'jiangsu', [8, 12]),
  ...quarterly('medical-insurance-2024', 'assisted-reproduction-items', 'zhejiang', [6, 12]),
  ...quarterly('medical-insurance-2024', 'assisted-reproduction-items', 'anhui', [4, 4, 9, 11]),
];

const ONE_CARD: DemoStep[] = [
  {
    kind: 'report',
    projectId: 'one-card-2024',
    metricId: 'shared-services',
    scope: 'region',
    value: 65,
    asOf: '2024-06-30',
    source: null,
  },
  {
    kind: 'report',
    projectId: 'one-card-2024',
    metricId: 'shared-services',
    scope: 'region',
    value: 78,
    asOf: '2024-12-31',
    note: '至 2024 年底共 78 项',
    source: 'S3',
  },
];

/** Every step, in the order the demonstration records them (by as-of date within each item). */
export const DEMO_HISTORY_2024: readonly DemoStep[] = [
  ...RAIL,
  ...CHARGING,
  ...SERVICES,
  ...INSURANCE,
  ...ONE_CARD,
];
