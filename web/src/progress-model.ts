/**
 * What a project's card says about its progress, decided once here and free of the DOM: the
 * region's bar, one bar per province, the last report of each, their tones and the order of the
 * cards. Bars never draw more than full, but the numbers beside them are honest: 120 % stays 120 %.
 */
import type { ProjectProgress, ProjectStatus, ProvinceProgress } from '../../functions/domain/progress.js';
import type { Project } from '../../functions/domain/project.js';
import { PROVINCE_NAMES, type Province } from '../../functions/domain/provinces.js';
import {
  formatDate,
  formatDaysAgo,
  formatNumber,
  formatPercent,
  formatQuantity,
  localized,
} from './format.js';
import { type Lang, messagesFor } from './i18n.js';

/** A progress bar as `role="progressbar"` needs it. */
export interface MeterModel {
  /** 0–100: how much of the bar is filled; a bar is never more than full. */
  fill: number;
  /** The real percentage, not capped. */
  percent: number;
  percentText: string;
  over: boolean;
  /** aria-valuenow / aria-valuemax: a percentage, with the maximum raised when the value exceeds 100. */
  valueNow: number;
  valueMax: number;
  /** aria-valuetext: the whole statement, since a bare percentage says too little. */
  valueText: string;
  /** Where the straight line from start to deadline stands today (0–100), if known. */
  planned: number | null;
}

/** A colour family for a card or a bar: a project's status, or `neutral` for a bar not judged by one. */
export type Tone = ProjectStatus | 'neutral';

export interface RegionModel {
  label: string;
  /** The headline figure: the total for `sum`, the mean percentage for `each`. */
  headline: string;
  /** The target beside a `sum` project's total ("660公里", "70,000个以上"); null for `each` or no target. */
  ofTargetText: string | null;
  /** The percentage beside a `sum` project's total; an `each` project's headline already is one. */
  percentText: string | null;
  targetText: string | null;
  meter: MeterModel | null;
  overText: string | null;
  plannedText: string | null;
  ruleText: string | null;
}

export interface LastReportModel {
  asOfText: string | null;
  agoText: string | null;
  overdue: boolean;
  overdueText: string | null;
}

export type ProvinceBasis = 'target' | 'share' | 'none';

export interface ProvinceRowModel {
  province: Province;
  name: string;
  valueText: string;
  /** `target`: against its own target; `share`: its part of the region total; `none`: no bar. */
  basis: ProvinceBasis;
  meter: MeterModel | null;
  figureText: string;
  lastReport: LastReportModel;
}

export const STATUS_ORDER: readonly ProjectStatus[] = [
  'overdue',
  'at-risk',
  'on-track',
  'completed',
  'no-target',
];

const roundTo = (value: number, places: number): number => {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
};

/** Full-width punctuation in Chinese text, ASCII in English. */
export const punctuation = (lang: Lang): { colon: string; comma: string } =>
  lang === 'en' ? { colon: ': ', comma: ', ' } : { colon: '：', comma: '，' };

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

export const meterFor = (
  percent: number,
  valueText: string,
  planned: number | null,
  lang: Lang,
): MeterModel => {
  const valueNow = roundTo(Math.max(0, percent), 1);
  return {
    fill: clamp(percent, 0, 100),
    percent,
    percentText: formatPercent(percent, lang),
    over: percent > 100,
    valueNow,
    valueMax: Math.max(100, valueNow),
    valueText,
    planned: planned === null ? null : clamp(planned, 0, 100),
  };
};

/** "70,000个以上" / "at least 70,000 piles": the source's 以上 kept beside the number. */
export const minimumText = (quantity: string, isMinimum: boolean, lang: Lang): string =>
  !isMinimum ? quantity : lang === 'en' ? `at least ${quantity}` : `${quantity}以上`;

/** "目标 70,000个以上" / "Target: at least 70,000 piles"; null when no target is set. */
export const targetText = (project: Project, lang: Lang): string | null =>
  project.target === null
    ? null
    : messagesFor(lang).targetValue(
        formatQuantity(project.target, project.unit, lang),
        project.targetIsMinimum,
      );

/** A card's tone is its project's status, so the colour says what the status badge says in words. */
export const projectTone = (progress: Pick<ProjectProgress, 'status'>): Tone => progress.status;

/**
 * A province's bar is `completed` once it is full (its target reached, or the whole region total
 * its own), and `neutral` otherwise: a province has no status of its own to colour it by.
 */
export const provinceTone = (meter: Pick<MeterModel, 'percent'> | null): Tone =>
  meter !== null && meter.percent >= 100 ? 'completed' : 'neutral';

export const regionModel = (project: Project, progress: ProjectProgress, lang: Lang): RegionModel => {
  const t = messagesFor(lang);
  const isEach = project.aggregation === 'each';
  const label = isEach ? t.regionMean : t.regionTotal;
  const total = formatQuantity(progress.total, project.unit, lang);
  const target = progress.target === null ? null : formatQuantity(progress.target, project.unit, lang);
  const ofTargetText = isEach || target === null ? null : minimumText(target, project.targetIsMinimum, lang);
  const percent = progress.percent;
  if (percent === null || target === null) {
    return {
      label: t.regionTotal,
      headline: total,
      ofTargetText,
      percentText: null,
      targetText: t.noTarget,
      meter: null,
      overText: null,
      plannedText: null,
      ruleText: null,
    };
  }
  const percentText = formatPercent(percent, lang);
  const { colon, comma } = punctuation(lang);
  const valueText = isEach
    ? `${label}${colon}${percentText}`
    : `${label}${colon}${t.ofTarget(total, target)}${comma}${percentText}`;
  const meter = meterFor(percent, valueText, progress.expectedPercent, lang);
  return {
    label,
    headline: isEach ? percentText : total,
    ofTargetText,
    percentText: isEach ? null : percentText,
    targetText: targetText(project, lang),
    meter,
    overText: percent > 100 ? t.aboveTarget(formatPercent(percent - 100, lang)) : null,
    plannedText:
      progress.expectedPercent === null ? null : t.planned(formatPercent(progress.expectedPercent, lang)),
    ruleText: isEach ? t.eachRule(target) : null,
  };
};

export const lastReportModel = (province: ProvinceProgress, lang: Lang): LastReportModel => {
  const t = messagesFor(lang);
  return {
    asOfText: province.asOf === null ? null : t.asOf(formatDate(province.asOf, lang)),
    agoText:
      province.daysSinceLastReport === null
        ? null
        : t.reportedAgo(formatDaysAgo(Math.max(0, province.daysSinceLastReport), lang)),
    overdue: province.reportOverdue,
    overdueText: province.reportOverdue ? t.reportOverdue : null,
  };
};

/**
 * One row per province, in the catalogue's order. `each` projects and `sum` projects with a
 * province target measure the province against its own target; other `sum` projects show the
 * province's share of the region total, which is what the four values add up to.
 */
export const provinceRows = (project: Project, progress: ProjectProgress, lang: Lang): ProvinceRowModel[] => {
  const t = messagesFor(lang);
  const { colon, comma } = punctuation(lang);
  return progress.provinces.map((row): ProvinceRowModel => {
    const name = localized(PROVINCE_NAMES[row.province], lang);
    const valueText = formatQuantity(row.value, project.unit, lang);
    const rowWith = (
      basis: ProvinceBasis,
      meter: MeterModel | null,
      figureText: string,
    ): ProvinceRowModel => ({
      province: row.province,
      name,
      valueText,
      basis,
      meter,
      figureText,
      lastReport: lastReportModel(row, lang),
    });
    if (row.target !== null && row.percent !== null) {
      const target = formatQuantity(row.target, project.unit, lang);
      const figureText = t.ofTarget(formatNumber(row.value, lang), target);
      const percentText = formatPercent(row.percent, lang);
      const meterText = `${name}${colon}${figureText}${comma}${percentText}`;
      return rowWith('target', meterFor(row.percent, meterText, null, lang), figureText);
    }
    if (project.aggregation === 'sum' && progress.total > 0) {
      const share = (row.value / progress.total) * 100;
      const figureText = t.shareOfTotal(formatPercent(share, lang));
      return rowWith(
        'share',
        meterFor(share, `${name}${colon}${valueText}${comma}${figureText}`, null, lang),
        figureText,
      );
    }
    return rowWith('none', null, '');
  });
};

/** How many projects are in each status, in the order a reader should look at them. */
export const statusCounts = (
  progresses: readonly Pick<ProjectProgress, 'status'>[],
): { status: ProjectStatus; count: number }[] =>
  STATUS_ORDER.map((status) => ({
    status,
    count: progresses.filter((p) => p.status === status).length,
  })).filter((entry) => entry.count > 0);

/** Projects without a target say least at a glance: after the others, otherwise in the API's order. */
export const cardOrder = <T extends { project: Pick<Project, 'target'> }>(entries: readonly T[]): T[] =>
  [...entries].sort((a, b) => Number(a.project.target === null) - Number(b.project.target === null));
