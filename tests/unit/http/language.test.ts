import { describe, expect, it } from 'vitest';
import { negotiateLanguage } from '../../../functions/http/language.js';

describe('negotiateLanguage', () => {
  it('answers in Chinese when the caller ranks Chinese first, whatever the region or script', () => {
    expect(negotiateLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(negotiateLanguage('zh-Hans-CN')).toBe('zh');
    expect(negotiateLanguage('fr;q=0.9, zh;q=0.5, en;q=0.4')).toBe('zh');
  });

  it('answers in English when English ranks higher, when nothing is asked and when neither is offered', () => {
    expect(negotiateLanguage('en-GB,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(negotiateLanguage('zh;q=0.5, en;q=0.6')).toBe('en');
    expect(negotiateLanguage(undefined)).toBe('en');
    expect(negotiateLanguage('fr-FR, de')).toBe('en');
    expect(negotiateLanguage('*')).toBe('en');
  });

  it('ignores what the caller refuses (q=0) and keeps the earlier of two equal ranks', () => {
    expect(negotiateLanguage('zh;q=0, en')).toBe('en');
    expect(negotiateLanguage('zh, en')).toBe('zh');
    expect(negotiateLanguage('en;q=0.8, zh;q=0.8')).toBe('en');
    expect(negotiateLanguage('zh;q=abc, en;q=0.1')).toBe('en');
  });
});
