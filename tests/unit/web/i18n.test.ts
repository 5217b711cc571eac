import { describe, expect, it } from 'vitest';
import { DEFAULT_LANG, initialLang, LANGS, MESSAGES, messagesFor } from '../../../web/src/i18n.js';

describe('the dashboard’s labels', () => {
  it('start in Chinese unless English was chosen before', () => {
    expect(DEFAULT_LANG).toBe('zh-CN');
    expect(initialLang(null)).toBe('zh-CN');
    expect(initialLang('fr')).toBe('zh-CN');
    expect(initialLang('en')).toBe('en');
  });

  it('name every status in words in both languages', () => {
    expect(messagesFor('zh-CN').status).toEqual({
      completed: '完成',
      'on-track': '正常推进',
      'at-risk': '存在风险',
      overdue: '已逾期',
      'no-target': '未设目标',
    });
    expect(messagesFor('en').status).toEqual({
      completed: 'Completed',
      'on-track': 'On track',
      'at-risk': 'At risk',
      overdue: 'Overdue',
      'no-target': 'No target',
    });
  });

  it('keep the source’s 以上 for a minimum target and say “at least” in English', () => {
    expect(messagesFor('zh-CN').targetValue('70,000个', true)).toBe('目标 70,000个以上');
    expect(messagesFor('en').targetValue('70,000 piles', true)).toBe('Target: at least 70,000 piles');
    expect(messagesFor('en').targetValue('660 km', false)).toBe('Target: 660 km');
  });

  it('offer the other language on the toggle, written in that language', () => {
    expect(messagesFor('zh-CN')).toMatchObject({ otherLanguage: 'en', otherLanguageLabel: 'English' });
    expect(messagesFor('en')).toMatchObject({ otherLanguage: 'zh-CN', otherLanguageLabel: '中文' });
  });

  it('leave no label empty in either language', () => {
    for (const lang of LANGS) {
      for (const [key, value] of Object.entries(MESSAGES[lang])) {
        if (typeof value === 'string') expect(value.trim(), `${lang}.${key}`).not.toBe('');
        else if (typeof value === 'function') expect(String(value(2)).trim(), `${lang}.${key}`).not.toBe('');
        else
          for (const [inner, text] of Object.entries(value))
            expect(text, `${lang}.${key}.${inner}`).not.toBe('');
      }
    }
  });
});
