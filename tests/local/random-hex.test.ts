import { describe, expect, it } from 'vitest';
import { createRandomHex, randomHex } from '../../local/shared/random-hex.js';

describe('randomHex', () => {
  it('gives as many random bytes as asked, as hex, different each time', () => {
    const drawn = Array.from({ length: 1000 }, () => randomHex(12));
    for (const hex of drawn) expect(hex).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(drawn).size).toBe(1000);
  });

  it('asks the system for entropy once per pool, not once per id', () => {
    let fills = 0;
    const hex = createRandomHex(4096, (pool) => {
      fills += 1;
      pool.fill(fills);
    });
    // 1000 trace ids of 12 bytes: 12,000 bytes, three pools of 4096.
    for (let i = 0; i < 1000; i++) hex(12);
    expect(fills).toBe(3);
  });

  it('never hands out the same bytes twice from one pool', () => {
    let fills = 0;
    const hex = createRandomHex(8, (pool) => {
      fills += 1;
      for (let i = 0; i < pool.length; i++) pool[i] = fills * 16 + i;
    });
    expect([hex(4), hex(4), hex(3), hex(8)]).toEqual(['10111213', '14151617', '202122', '3031323334353637']);
  });

  it('refuses a size the pool cannot give', () => {
    const hex = createRandomHex(8);
    expect(() => hex(0)).toThrow(/1 to 8 bytes/);
    expect(() => hex(9)).toThrow(/1 to 8 bytes/);
    expect(() => hex(1.5)).toThrow(/1 to 8 bytes/);
  });
});
