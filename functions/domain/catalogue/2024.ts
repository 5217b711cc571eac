/**
 * The 2024 list (10 items, released 2024-06-06 at the forum in Wenzhou), as far as public
 * sources give it. The ids of the five items named by the forum report are those a stored 2024
 * list already has.
 */
import { type CatalogueItem, deliverable, item, metric, type YearList } from './item.js';

const YEAR = 2024;
/** The name of an item known only from a gloss: its official title was not found. */
const glossed = (zh: string, en: string) => ({
  zh: `${zh}（正式名称未找到）`,
  en: `${en} (official title not found)`,
});

export const LIST_2024: YearList = {
  year: YEAR,
  releasedOn: '2024-06-06',
  releasedAt: {
    zh: '长三角一体化发展高层论坛（温州）',
    en: 'Yangtze River Delta Integration High-Level Forum, Wenzhou',
  },
  itemCount: 10,
  note: {
    zh: '清单共 10 项；其中一项的名称和内容未找到公开来源，未录入，由区域合作办补充。',
    en: 'The list has 10 items; one was not found in any public source and is not entered: the coordinator adds it.',
  },
  sources: ['S1', 'S2'],
};

export const CATALOGUE_2024: readonly CatalogueItem[] = [
  item(YEAR, {
    id: 'rail-2024',
    name: { zh: '建设轨道上的长三角', en: 'A rail-connected Yangtze River Delta' },
    metrics: [
      metric({
        id: 'new-railway',
        name: { zh: '新增建成铁路里程', en: 'New railway brought into service' },
        unit: { zh: '公里', en: 'km' },
        allowDecimals: true,
        target: 660,
      }),
    ],
    deliverables: [
      deliverable(YEAR, {
        id: 'hangwen',
        name: { zh: '杭温铁路建成通车', en: 'Hangzhou–Wenzhou railway opened' },
        provinces: ['zhejiang'],
        kind: 'open',
      }),
      deliverable(YEAR, {
        id: 'chihuang',
        name: { zh: '池黄高铁建成通车', en: 'Chizhou–Huangshan high-speed railway opened' },
        provinces: ['anhui'],
        kind: 'open',
      }),
      deliverable(YEAR, {
        id: 'husuhu',
        name: { zh: '沪苏湖铁路力争通车', en: 'Shanghai–Suzhou–Huzhou railway: striving to open' },
        provinces: ['shanghai', 'jiangsu', 'zhejiang'],
        kind: 'open',
        note: { zh: '清单表述为"力争"通车。', en: 'The list says "strive to" (力争) open it.' },
      }),
    ],
    sources: ['S1', 'S2', 'seed'],
  }),
  item(YEAR, {
    id: 'ev-charging-2024',
    name: {
      zh: '长三角新能源汽车充换电基础设施一张网',
      en: 'One network of NEV charging and battery-swap infrastructure',
    },
    metrics: [
      metric({
        id: 'new-public-piles',
        name: { zh: '新建公共充电桩', en: 'New public charging piles' },
        unit: { zh: '个', en: 'piles' },
        target: 70_000,
      }),
      metric({
        id: 'vehicle-pile-ratio',
        name: { zh: '车桩比', en: 'Vehicles per public charging pile' },
        allowDecimals: true,
        direction: 'atMost',
        target: 1.9,
        combine: 'region',
        note: {
          zh: '目标为全区域不高于 1.9；起始值未公布，设定基准值后才能计算进度百分比。',
          en: 'The target is at most 1.9 for the whole region; the starting ratio was not published, so its percentage needs a baseline set first.',
        },
      }),
      metric({
        id: 'cumulative-public-piles',
        name: { zh: '累计公共充电桩', en: 'Public charging piles in all' },
        unit: { zh: '个', en: 'piles' },
        baseline: null,
        target: 600_000,
        combine: 'region',
        note: {
          zh: '全区域累计数；年初存量未公布，设定基准值后才能计算进度百分比。',
          en: 'A region-wide total; the number at the start of the year was not published, so its percentage needs a baseline set first.',
        },
      }),
    ],
    sources: ['S1', 'S2'],
  }),
  item(YEAR, {
    id: 'virtual-windows-2024',
    name: { zh: '长三角"跨省高效办成一件事"', en: 'Get one thing done efficiently across provinces' },
    metrics: [
      metric({
        id: 'virtual-window-sites',
        name: { zh: '开通跨省通办"远程虚拟窗口"服务点位', en: 'Remote virtual service-window sites opened' },
        unit: { zh: '个', en: 'sites' },
        target: 200,
      }),
      metric({
        id: 'services-online',
        name: { zh: '累计上线政务服务事项', en: 'Government services online in all' },
        unit: { zh: '项', en: 'services' },
        baseline: null,
        target: 200,
        combine: 'region',
        note: {
          zh: '全区域累计数；起始值未公布。',
          en: 'A region-wide total; the starting number was not published.',
        },
      }),
      metric({
        id: 'cities-covered',
        name: { zh: '覆盖地级及以上城市', en: 'Cities at prefecture level and above covered' },
        unit: { zh: '个', en: 'cities' },
        baseline: null,
        target: 41,
        combine: 'region',
        note: { zh: '起始值未公布。', en: 'The starting number was not published.' },
      }),
    ],
    sources: ['S1', 'S2'],
  }),
  item(YEAR, {
    id: 'medical-insurance-2024',
    name: { zh: '医保跨省结算提质扩面', en: 'Better, wider cross-province medical-insurance settlement' },
    metrics: [
      metric({
        id: 'assisted-reproduction-items',
        name: {
          zh: '治疗性辅助生殖技术项目纳入医保支付范围',
          en: 'Assisted-reproduction treatment items covered by medical insurance',
        },
        unit: { zh: '项', en: 'items' },
        target: 12,
        combine: 'each',
      }),
    ],
    sources: ['S1', 'seed'],
  }),
  item(YEAR, {
    id: 'elderly-care-2024',
    name: { zh: '养老服务一体化', en: 'Integrated elderly-care services' },
    note: {
      zh: '指标未公布。一篇英文报道（S2）提到新增养老服务设施 300 个，但中文表述、单位及各省市如何合计均未找到，待核实后设定。',
      en: 'Metric not published. An English-language report (S2) mentions 300 new elderly-care facilities; the Chinese wording, the unit and how the provinces combine were not found: set them once confirmed.',
    },
    sources: ['S2', 'seed'],
  }),
  item(YEAR, {
    id: 'one-card-2024',
    name: { zh: '深化居民服务"一卡通"建设', en: 'A deeper resident-services one-card' },
    metrics: [
      metric({
        id: 'shared-services',
        name: { zh: '"一卡通"共享服务事项', en: 'Services on the shared one-card list' },
        unit: { zh: '项', en: 'services' },
        baseline: null,
        combine: 'region',
        note: {
          zh: '2024 年目标未公布；据报道，至 2024 年底共有 78 项服务事项（S3、S4）。',
          en: 'The 2024 target was not published; reports give 78 services on the list at the end of 2024 (S3, S4).',
        },
      }),
    ],
    sources: ['S3', 'S4'],
  }),
  item(YEAR, {
    id: 'culture-tourism-2024',
    name: glossed('文旅"一卡通"', 'Culture and tourism: one card for scenic spots'),
    note: { zh: '名称与指标均未找到公开来源。', en: 'Neither the official title nor a figure was found.' },
    sources: ['S2'],
  }),
  item(YEAR, {
    id: 'visa-free-transit-2024',
    name: glossed('外国人 144 小时过境免签', '144-hour visa-free transit for foreigners'),
    note: { zh: '名称与指标均未找到公开来源。', en: 'Neither the official title nor a figure was found.' },
    sources: ['S2'],
  }),
  item(YEAR, {
    id: 'rural-development-2024',
    name: glossed('乡村发展', 'Rural development'),
    note: { zh: '名称与指标均未找到公开来源。', en: 'Neither the official title nor a figure was found.' },
    sources: ['S2'],
  }),
];
