/** The three provinces and one municipality (三省一市) of the Yangtze River Delta. */
export const PROVINCES = ['shanghai', 'jiangsu', 'zhejiang', 'anhui'] as const;
export type Province = (typeof PROVINCES)[number];

export const PROVINCE_NAMES: Readonly<Record<Province, { zh: string; en: string }>> = {
  shanghai: { zh: '上海市', en: 'Shanghai' },
  jiangsu: { zh: '江苏省', en: 'Jiangsu' },
  zhejiang: { zh: '浙江省', en: 'Zhejiang' },
  anhui: { zh: '安徽省', en: 'Anhui' },
};

/** 长三角区域合作办: owns the list, sets targets and may act for any province. */
export const COORDINATOR = 'coordinator';
export const ROLES = [...PROVINCES, COORDINATOR] as const;
export type Role = (typeof ROLES)[number];

export const isProvince = (value: unknown): value is Province =>
  typeof value === 'string' && (PROVINCES as readonly string[]).includes(value);

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
