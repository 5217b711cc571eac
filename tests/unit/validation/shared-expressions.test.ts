import { describe, expect, it } from 'vitest';
import { SharedExpressions } from '../../../scripts/validators/shared-expressions.js';

describe('the expressions a compiled module shares', () => {
  it('declares an expression used twice once, and writes one used once where it is used', () => {
    const shared = new SharedExpressions();
    const leaf = () => shared.share('leaf()');
    // Each share stands for one use: `pair(…)` is used twice, `once(…)` once.
    const once = shared.share(`once(${leaf()})`);
    const pair = () => shared.share(`pair(${leaf()}, ${shared.share(`single(${shared.share('deep()')})`)})`);
    expect(shared.write([`a = ${once};`, `b = ${pair()};`, `c = ${pair()};`])).toEqual([
      'const shared0 = leaf();',
      'const shared1 = deep();',
      'const shared2 = single(shared1);',
      'const shared3 = pair(shared0, shared2);',
      'a = once(shared0);',
      'b = shared3;',
      'c = shared3;',
    ]);
  });

  it('inlines through several levels of expressions each used once', () => {
    const shared = new SharedExpressions();
    const inner = shared.share('inner($&)');
    const middle = shared.share(`middle(${inner})`);
    expect(shared.write([`x = outer(${middle});`])).toEqual(['x = outer(middle(inner($&)));']);
  });
});
