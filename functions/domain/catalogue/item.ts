/**
 * An item of a year's list as the seed knows it, and the year's list itself. The seed holds
 * what has a public source and nothing else: a figure not found is a metric without a target
 * (shown as 未公布 / not published) with a note, an item whose content is not known has no
 * metric at all, never an invented number.
 */
import { yearEnd, yearStart } from '../calendar.js';
import type { Deliverable } from '../deliverable.js';
import { defaultBaseline, type Metric } from '../metric.js';
import type { Schedule } from '../metric-progress.js';
import {
  DEFAULT_AT_RISK_TOLERANCE_POINTS,
  DEFAULT_REPORTING_INTERVAL_DAYS,
  type LocalizedText,
} from '../project.js';
import { COORDINATOR } from '../provinces.js';

export interface CatalogueItem extends Schedule {
  id: string;
  year: number;
  name: LocalizedText;
  metrics: Metric[];
  deliverables: Deliverable[];
  /** What is known and not known of the item, for the coordinator. */
  note: LocalizedText | null;
  /** Where its figures come from (keys of SOURCES). */
  sources: SourceKey[];
}

/** A year's list: when and where it was published, and how many items it has. */
export interface YearList {
  year: number;
  /** 长三角一体化发展高层论坛, where the list is released each June. */
  releasedOn: string;
  releasedAt: LocalizedText;
  /** Items the published list has; the seed may hold fewer when some were not found. */
  itemCount: number;
  note: LocalizedText | null;
  sources: SourceKey[];
}

/** The public sources of the seed's figures. */
export const SOURCES = {
  S1: 'https://finance.sina.cn/2024-06-06/detail-inaxuiuz4553595.d.html',
  S2: 'https://silkroadnews.net/yangtze-river-delta-ramps-up-integration-with-megaprojects/',
  S3: 'https://tidenews.com.cn/news.html?id=3145521',
  S4: 'https://www.dingqianjf.com/news/show/34433b68b37e33d4.html',
  S5: 'https://m.digipub.cc/dy/article/KMPD0QDD0514EGPO.html',
  seed: 'Shanghai newspaper report (June 2024) on the 6th Yangtze River Delta Integration High-Level Forum, Wenzhou',
  chihuang: 'https://www.163.com/dy/article/J28H5RJE0514R9NK.html',
  hangwen: 'https://m.ithome.com/mip/html/785177.htm',
  xuanji: 'https://csjcs.com/news/show/991df6296a7384f9.html',
  husuhu: 'https://www.kxwhcb.com/newsDetail_forward_26884960',
  hexin: 'https://www.zhaiyijian.com/news/guonei/2025/12301Y0V2025.html',
} as const;
export type SourceKey = keyof typeof SOURCES;

/** A metric with the defaults every seeded one shares; `over` says what differs. */
export const metric = (over: Pick<Metric, 'id' | 'name'> & Partial<Omit<Metric, 'id' | 'name'>>): Metric => {
  const direction = over.direction ?? 'atLeast';
  return {
    unit: null,
    allowDecimals: false,
    baseline: defaultBaseline(direction),
    target: null,
    combine: 'sum',
    provinceTargets: {},
    reporter: COORDINATOR,
    note: null,
    ...over,
    direction,
  };
};

/** An item of `year`'s list, running the whole year, with the defaults every seeded one shares. */
export const item = (
  year: number,
  over: Pick<CatalogueItem, 'id' | 'name' | 'sources'> & Partial<Omit<CatalogueItem, 'id' | 'name' | 'year'>>,
): CatalogueItem => ({
  startDate: yearStart(year),
  deadline: yearEnd(year),
  reportingIntervalDays: DEFAULT_REPORTING_INTERVAL_DAYS,
  atRiskTolerancePoints: DEFAULT_AT_RISK_TOLERANCE_POINTS,
  metrics: [],
  deliverables: [],
  note: null,
  ...over,
  year,
});

/** A deliverable due by the end of `year`, as the lists state them (no earlier date is published). */
export const deliverable = (
  year: number,
  over: Omit<Deliverable, 'due' | 'note'> & Partial<Deliverable>,
): Deliverable => ({
  due: yearEnd(year),
  note: null,
  ...over,
});
