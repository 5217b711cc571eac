import type { Project } from './project.js';
import { DEFAULT_AT_RISK_TOLERANCE_POINTS, DEFAULT_REPORTING_INTERVAL_DAYS } from './project.js';

export type CatalogueEntry = Omit<Project, 'version' | 'updatedAt'>;

const common = {
  year: 2024,
  startDate: '2024-01-01',
  deadline: '2024-12-31',
  provinceTargets: {},
  reportingIntervalDays: DEFAULT_REPORTING_INTERVAL_DAYS,
  atRiskTolerancePoints: DEFAULT_AT_RISK_TOLERANCE_POINTS,
} as const;

/**
 * The five of the ten 2024 projects named by the source article (see DOMAIN.md); the coordinator
 * adds the other five and sets what the article does not say.
 */
export const CATALOGUE_2024: readonly CatalogueEntry[] = [
  {
    ...common,
    id: 'rail-2024',
    name: { zh: '建设轨道上的长三角', en: 'A rail-connected Yangtze River Delta' },
    metric: { zh: '新增建成铁路里程', en: 'New railway brought into service' },
    unit: { zh: '公里', en: 'km' },
    allowDecimals: true,
    target: 660,
    targetIsMinimum: false,
    aggregation: 'sum',
  },
  {
    ...common,
    id: 'ev-charging-2024',
    name: {
      zh: '新能源汽车充换电基础设施一张网',
      en: 'One network of NEV charging and battery-swap infrastructure',
    },
    metric: { zh: '新建公共充电桩', en: 'New public charging piles' },
    unit: { zh: '个', en: 'piles' },
    allowDecimals: false,
    target: 70_000,
    targetIsMinimum: true,
    aggregation: 'sum',
  },
  {
    ...common,
    id: 'virtual-windows-2024',
    name: { zh: '"跨省高效办成一件事"', en: 'Get one thing done efficiently across provinces' },
    metric: {
      zh: '开通跨省通办"远程虚拟窗口"服务点位',
      en: 'Remote virtual service-window sites opened',
    },
    unit: { zh: '个', en: 'sites' },
    allowDecimals: false,
    target: 200,
    targetIsMinimum: true,
    aggregation: 'sum',
  },
  {
    ...common,
    id: 'medical-insurance-2024',
    name: {
      zh: '医保跨省结算提质扩面',
      en: 'Better, wider cross-province medical-insurance settlement',
    },
    metric: {
      zh: '治疗性辅助生殖技术项目纳入医保支付范围',
      en: 'Assisted-reproduction treatment items covered by medical insurance',
    },
    unit: { zh: '项', en: 'items' },
    allowDecimals: false,
    target: 12,
    targetIsMinimum: false,
    aggregation: 'each',
  },
  {
    ...common,
    id: 'elderly-care-2024',
    name: { zh: '养老服务一体化', en: 'Integrated elderly-care services' },
    metric: null,
    unit: null,
    allowDecimals: false,
    target: null,
    targetIsMinimum: false,
    aggregation: 'sum',
  },
];
