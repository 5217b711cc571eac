/**
 * The language of an answer's words, from the request's Accept-Language (RFC 9110 §12.5.4):
 * Chinese when the caller ranks any Chinese above English, English otherwise (and when it says
 * nothing, as scripts and webhook receivers do).
 */
export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

interface Range {
  tag: string;
  q: number;
  order: number;
}

const parseRanges = (header: string): Range[] =>
  header
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((range) => range.tag !== '' && range.q > 0);

const languageOf = (tag: string): Language | null => {
  if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
  if (tag === 'en' || tag.startsWith('en-')) return 'en';
  return null;
};

export const negotiateLanguage = (acceptLanguage: string | undefined): Language => {
  if (acceptLanguage === undefined) return 'en';
  const ranked = parseRanges(acceptLanguage)
    .map((range) => ({ ...range, language: languageOf(range.tag) }))
    .filter((range): range is Range & { language: Language } => range.language !== null)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked[0]?.language ?? 'en';
};
