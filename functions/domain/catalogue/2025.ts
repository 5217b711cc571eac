/**
 * The 2025 list (10 items, released 2025-06-07 at the forum in Nanjing), as far as public
 * sources give it: six items are known, four are not.
 */
import { type CatalogueItem, deliverable, item, metric, type YearList } from './item.js';

const YEAR = 2025;
const NOT_FOUND = { zh: '指标未找到公开来源。', en: 'No figure was found in a public source.' };

export const LIST_2025: YearList = {
  year: YEAR,
  releasedOn: '2025-06-07',
  releasedAt: {
    zh: '长三角一体化发展高层论坛（南京）',
    en: 'Yangtze River Delta Integration High-Level Forum, Nanjing',
  },
  itemCount: 10,
  note: {
    zh: '清单共 10 项；另有 4 项（消费、服务、民生领域）的名称和内容未找到公开来源，未录入。年终：2 项基本达到预期，5 项成效明显，3 项仍在推进（S5）。',
    en: 'The list has 10 items; four more (on consumption, services and livelihood) were not found in any public source and are not entered. At year end: 2 items broadly as expected, 5 with clear results, 3 still in progress (S5).',
  },
  sources: ['S3', 'S4', 'S5'],
};

export const CATALOGUE_2025: readonly CatalogueItem[] = [
  item(YEAR, {
    id: 'satisfied-consumption-2025',
    name: { zh: '打响"满意消费长三角"品牌', en: 'The "Satisfied Consumption YRD" brand' },
    metrics: [
      metric({
        id: 'trusted-consumption-units',
        name: { zh: '培育放心消费单位', en: 'Trusted-consumption businesses fostered' },
        unit: { zh: '家', en: 'businesses' },
        target: 3_000,
      }),
      metric({
        id: 'no-reason-return-firms',
        name: { zh: '新增无理由退货承诺企业', en: 'New firms pledging no-reason returns' },
        unit: { zh: '家', en: 'firms' },
        target: 30_000,
      }),
      metric({
        id: 'gift-products',
        name: { zh: '长三角伴手礼', en: 'YRD gift products' },
        unit: { zh: '个', en: 'products' },
        target: 30,
        combine: 'each',
      }),
    ],
    sources: ['S3', 'S4'],
  }),
  item(YEAR, {
    id: 'one-card-2025',
    name: { zh: '深化居民服务"一卡通"建设', en: 'A deeper resident-services one-card' },
    metrics: [
      metric({
        id: 'shared-services',
        name: { zh: '"一卡通"共享服务事项', en: 'Services on the shared one-card list' },
        unit: { zh: '项', en: 'services' },
        baseline: 78,
        target: 113,
        combine: 'region',
      }),
      metric({
        id: 'elderly-card-cities',
        name: { zh: '老年人"一卡通"应用场景覆盖城市', en: 'Cities with one-card scenes for older people' },
        unit: { zh: '个', en: 'cities' },
        target: 12,
      }),
    ],
    sources: ['S3', 'S4'],
  }),
  item(YEAR, {
    id: 'rail-2025',
    name: { zh: '推动长三角轨道交通互联互通', en: 'Interconnected rail across the Yangtze River Delta' },
    deliverables: [
      deliverable(YEAR, {
        id: 'hexin-hefei-sixian',
        name: {
          zh: '合新高铁合肥—泗县段建成通车',
          en: 'Hefei–Xinyi high-speed railway, Hefei–Sixian section, opened',
        },
        provinces: ['anhui'],
        kind: 'open',
      }),
      deliverable(YEAR, {
        id: 'ningma',
        name: { zh: '宁马市域（郊）铁路建成通车', en: "Nanjing–Ma'anshan suburban railway opened" },
        provinces: ['jiangsu', 'anhui'],
        kind: 'open',
      }),
      deliverable(YEAR, {
        id: 'shuixiang-line',
        name: { zh: '水乡旅游线开工建设', en: 'Water-town tourist line: construction started' },
        provinces: ['shanghai', 'jiangsu', 'zhejiang'],
        kind: 'start',
      }),
      deliverable(YEAR, {
        id: 'wenfu-zhejiang',
        name: {
          zh: '温福铁路浙江段开工建设',
          en: 'Wenzhou–Fuzhou railway, Zhejiang section: construction started',
        },
        provinces: ['zhejiang'],
        kind: 'start',
      }),
    ],
    note: {
      zh: '无里程目标。清单另要求加快推进沪渝蓉、宁淮、沪苏通二期等项目建设。',
      en: "No kilometre target. The list also asks to advance the Shanghai–Chongqing–Chengdu, Nanjing–Huai'an and Shanghai–Suzhou–Nantong phase II projects.",
    },
    sources: ['S3', 'S4'],
  }),
  item(YEAR, {
    id: 'jobs-2025',
    name: { zh: '长三角招聘专区', en: 'The YRD jobs portal' },
    metrics: [
      metric({
        id: 'positions-gathered',
        name: { zh: '全年归集岗位', en: 'Positions gathered in the year' },
        unit: { zh: '个', en: 'positions' },
        note: {
          zh: '一篇综述（S3）提到全年归集岗位不少于 150 万个，未经确认，暂不设目标。',
          en: 'A summary (S3) mentions at least 1.5 million positions in the year; unconfirmed, so no target is set yet.',
        },
      }),
    ],
    sources: ['S3'],
  }),
  item(YEAR, {
    id: 'sports-events-2025',
    name: { zh: '共同举办长三角体育重大赛事活动', en: 'Major YRD sports events held together' },
    note: NOT_FOUND,
    sources: ['S5'],
  }),
  item(YEAR, {
    id: 'teachers-2025',
    name: {
      zh: '实施素质长三角优师共育赋能行动',
      en: 'Developing excellent teachers together across the YRD',
    },
    note: NOT_FOUND,
    sources: ['S5'],
  }),
];
