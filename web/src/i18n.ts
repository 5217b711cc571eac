/**
 * Every label the dashboard shows a person, Chinese first (DOMAIN.md: the users are Chinese
 * government offices), English second. Official Chinese names are never translated away: the
 * English text only ever accompanies them.
 */
import type { MilestoneKind } from '../../functions/domain/milestone.js';
import type { ProjectStatus } from '../../functions/domain/progress.js';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';
export const LANG_STORAGE_KEY = 'livelihood-tracker.lang';

export const isLang = (value: unknown): value is Lang =>
  typeof value === 'string' && (LANGS as readonly string[]).includes(value);

export interface Messages {
  appTitle: string;
  appSubtitle: string;
  skipToContent: string;
  /** The toggle's label is written in the language it switches to. */
  otherLanguageLabel: string;
  otherLanguage: Lang;
  switchLanguageHint: string;
  year: string;
  yearOption: (year: number) => string;
  projectsOfYear: (year: number) => string;
  projectCount: (count: number) => string;
  status: Record<ProjectStatus, string>;
  statusHint: Record<ProjectStatus, string>;
  targetValue: (quantity: string, isMinimum: boolean) => string;
  noTarget: string;
  metricNotSet: string;
  regionTotal: string;
  regionMean: string;
  eachRule: (target: string) => string;
  planned: (percent: string) => string;
  aboveTarget: (percent: string) => string;
  ofTarget: (value: string, target: string) => string;
  shareOfTotal: (percent: string) => string;
  provinceProgress: string;
  asOf: (date: string) => string;
  reportedAgo: (ago: string) => string;
  neverReported: string;
  reportOverdue: string;
  viewDetails: string;
  detailsFor: (name: string) => string;
  backToOverview: string;
  updatedAt: (time: string) => string;
  refreshEvery: (seconds: string) => string;
  loading: string;
  loadFailed: string;
  staleData: string;
  networkError: string;
  retry: string;
  noProjects: (year: number) => string;
  projectNotFound: string;
  history: string;
  chartTitle: (name: string) => string;
  chartDescription: (target: string | null) => string;
  chartTable: string;
  chartTableDate: string;
  targetLine: string;
  plannedLine: string;
  noHistory: string;
  reports: string;
  reportsCount: (count: number) => string;
  downloadCsv: string;
  kind: Record<MilestoneKind, string>;
  kindHint: Record<MilestoneKind, string>;
  correctionReason: string;
  previousValue: string;
  note: string;
  evidence: string;
  recordedAt: (time: string, by: string) => string;
  truncated: (count: number) => string;
  timezoneNote: string;
  dataSource: string;
  footerApi: string;
  facts: string;
  period: string;
  periodValue: (start: string, end: string) => string;
  aggregation: string;
  aggregationValue: Record<'sum' | 'each', string>;
  reporting: string;
  reportingValue: (days: string) => string;
  tolerance: string;
  toleranceValue: (points: string) => string;
  lastReport: string;
}

const zh: Messages = {
  appTitle: '长三角民生实事项目进展',
  appSubtitle: '三省一市年度民生实事项目清单 · 长三角区域合作办',
  skipToContent: '跳到主要内容',
  otherLanguageLabel: 'English',
  otherLanguage: 'en',
  switchLanguageHint: 'Switch to English',
  year: '年度',
  yearOption: (year) => `${year}年`,
  projectsOfYear: (year) => `${year}年度实事项目`,
  projectCount: (count) => `共 ${count} 个项目`,
  status: {
    completed: '完成',
    'on-track': '正常推进',
    'at-risk': '存在风险',
    overdue: '已逾期',
    'no-target': '未设目标',
  },
  statusHint: {
    completed: '已达到目标',
    'on-track': '进度不低于计划进度',
    'at-risk': '落后计划进度超过容差',
    overdue: '已过截止日期仍未完成',
    'no-target': '尚未设定目标，无法计算完成率',
  },
  targetValue: (quantity, isMinimum) => `目标 ${quantity}${isMinimum ? '以上' : ''}`,
  noTarget: '未设目标',
  metricNotSet: '指标待区域合作办设定',
  regionTotal: '区域合计',
  regionMean: '区域平均完成率',
  eachRule: (target) => `三省一市均需各自达到 ${target}；区域完成率为四地完成率的平均值`,
  planned: (percent) => `计划进度 ${percent}`,
  aboveTarget: (percent) => `超出目标 ${percent}`,
  ofTarget: (value, target) => `${value} / ${target}`,
  shareOfTotal: (percent) => `占区域合计 ${percent}`,
  provinceProgress: '各省市进展',
  asOf: (date) => `截至 ${date}`,
  reportedAgo: (ago) => `${ago}报送`,
  neverReported: '尚未报送',
  reportOverdue: '逾期未报',
  viewDetails: '查看详情',
  detailsFor: (name) => `查看“${name}”详情`,
  backToOverview: '返回项目总览',
  updatedAt: (time) => `更新于 ${time}`,
  refreshEvery: (seconds) => `每 ${seconds} 秒自动刷新`,
  loading: '正在加载…',
  loadFailed: '数据加载失败',
  staleData: '以下为上次成功加载的数据，页面将自动重试。',
  networkError: '无法连接到服务器，请检查网络连接。',
  retry: '立即重试',
  noProjects: (year) => `${year}年度暂无项目。`,
  projectNotFound: '未找到该项目。',
  history: '进展历程',
  chartTitle: (name) => `${name}：各省市累计进展`,
  chartDescription: (target) =>
    `折线为各省市按截至日期报送的累计值${target ? `，水平虚线为目标 ${target}` : ''}。具体数据见下表。`,
  chartTable: '图表数据',
  chartTableDate: '截至日期',
  targetLine: '目标',
  plannedLine: '计划进度',
  noHistory: '暂无报送，报送后将在此显示进展历程。',
  reports: '报送记录',
  reportsCount: (count) => `共 ${count} 条`,
  downloadCsv: '下载 CSV',
  kind: { report: '报送', correction: '更正', backfill: '补录' },
  kindHint: {
    report: '新的累计值',
    correction: '更正此前报送的数值',
    backfill: '补录较早日期的历史数据，不改变当前值',
  },
  correctionReason: '更正原因',
  previousValue: '原值',
  note: '备注',
  evidence: '佐证材料',
  recordedAt: (time, by) => `${time} 由 ${by} 录入`,
  truncated: (count) => `仅显示最近 ${count} 条；完整记录请下载 CSV。`,
  timezoneNote: '时间均为北京时间（UTC+8）。',
  dataSource: '数据来源：三省一市报送的累计进展',
  footerApi: '接口说明',
  facts: '项目要点',
  period: '实施期限',
  periodValue: (start, end) => `${start} 至 ${end}`,
  aggregation: '汇总方式',
  aggregationValue: { sum: '三省一市数值相加', each: '三省一市分别达到目标' },
  reporting: '报送要求',
  reportingValue: (days) => `至少每 ${days} 天报送一次`,
  tolerance: '风险判定',
  toleranceValue: (points) => `落后计划进度超过 ${points} 个百分点`,
  lastReport: '最近报送',
};

const en: Messages = {
  appTitle: 'Yangtze River Delta livelihood projects: progress',
  appSubtitle:
    'The annual livelihood project list of Shanghai, Jiangsu, Zhejiang and Anhui · YRD Regional Cooperation Office',
  skipToContent: 'Skip to main content',
  otherLanguageLabel: '中文',
  otherLanguage: 'zh-CN',
  switchLanguageHint: '切换到中文',
  year: 'Year',
  yearOption: (year) => String(year),
  projectsOfYear: (year) => `Projects of ${year}`,
  projectCount: (count) => `${count} ${count === 1 ? 'project' : 'projects'}`,
  status: {
    completed: 'Completed',
    'on-track': 'On track',
    'at-risk': 'At risk',
    overdue: 'Overdue',
    'no-target': 'No target',
  },
  statusHint: {
    completed: 'The target has been reached',
    'on-track': 'At or near the planned pace',
    'at-risk': 'Behind the planned pace by more than the tolerance',
    overdue: 'Past the deadline and not complete',
    'no-target': 'No target set yet, so no percentage',
  },
  targetValue: (quantity, isMinimum) => `Target: ${isMinimum ? 'at least ' : ''}${quantity}`,
  noTarget: 'No target',
  metricNotSet: 'Metric to be set by the Regional Cooperation Office',
  regionTotal: 'Region total',
  regionMean: 'Region average',
  eachRule: (target) =>
    `Each province must reach ${target}; the region's figure is the mean of the four provinces' percentages`,
  planned: (percent) => `Planned ${percent}`,
  aboveTarget: (percent) => `${percent} above target`,
  ofTarget: (value, target) => `${value} of ${target}`,
  shareOfTotal: (percent) => `${percent} of region total`,
  provinceProgress: 'By province',
  asOf: (date) => `as of ${date}`,
  reportedAgo: (ago) => `reported ${ago}`,
  neverReported: 'No report yet',
  reportOverdue: 'Report overdue',
  viewDetails: 'View details',
  detailsFor: (name) => `View details of “${name}”`,
  backToOverview: 'Back to all projects',
  updatedAt: (time) => `Updated ${time}`,
  refreshEvery: (seconds) => `refreshes every ${seconds} s`,
  loading: 'Loading…',
  loadFailed: 'Could not load the data',
  staleData: 'Showing the data last loaded successfully; the page will try again by itself.',
  networkError: 'The server cannot be reached. Check the network connection.',
  retry: 'Try again now',
  noProjects: (year) => `No projects for ${year} yet.`,
  projectNotFound: 'This project was not found.',
  history: 'Progress over time',
  chartTitle: (name) => `${name}: cumulative progress by province`,
  chartDescription: (target) =>
    `Lines show each province's cumulative value by as-of date${target ? `; the dashed line is the target of ${target}` : ''}. The data are in the table below.`,
  chartTable: 'Chart data',
  chartTableDate: 'As of',
  targetLine: 'Target',
  plannedLine: 'Planned pace',
  noHistory: 'No reports yet: the history appears here once provinces report.',
  reports: 'Reports',
  reportsCount: (count) => `${count} ${count === 1 ? 'report' : 'reports'}`,
  downloadCsv: 'Download CSV',
  kind: { report: 'Report', correction: 'Correction', backfill: 'Backfill' },
  kindHint: {
    report: 'A new cumulative value',
    correction: 'Corrects a value reported earlier',
    backfill: 'History for an earlier date; does not change the current value',
  },
  correctionReason: 'Reason',
  previousValue: 'Previous',
  note: 'Note',
  evidence: 'Evidence',
  recordedAt: (time, by) => `Recorded ${time} by ${by}`,
  truncated: (count) => `Only the latest ${count} are shown; download the CSV for the full history.`,
  timezoneNote: 'Times are China Standard Time (UTC+8).',
  dataSource: 'Source: cumulative progress reported by the four provincial offices',
  footerApi: 'API description',
  facts: 'Key facts',
  period: 'Period',
  periodValue: (start, end) => `${start} to ${end}`,
  aggregation: 'How provinces combine',
  aggregationValue: { sum: 'The four provinces add up', each: 'Each province must reach the target' },
  reporting: 'Reporting',
  reportingValue: (days) => `At least every ${days} days`,
  tolerance: 'At risk when',
  toleranceValue: (points) => `More than ${points} points behind the planned pace`,
  lastReport: 'Last report',
};

export const MESSAGES: Readonly<Record<Lang, Messages>> = { 'zh-CN': zh, en };

export const messagesFor = (lang: Lang): Messages => MESSAGES[lang];

/** The stored choice if it is one we know, otherwise Chinese. */
export const initialLang = (stored: string | null | undefined): Lang =>
  isLang(stored) ? stored : DEFAULT_LANG;
