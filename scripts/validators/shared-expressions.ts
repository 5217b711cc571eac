/**
 * Compiled validators declare each distinct expression once: two fields with the same rules (every
 * `freeText(200)`, every province) share one validator, as the same text means the same validator.
 * An expression used once is written where it is used.
 */
interface Shared {
  token: string;
  expression: string;
  uses: number;
}

export class SharedExpressions {
  private readonly byExpression = new Map<string, Shared>();

  /** A token standing for `expression`, the same one for the same text. */
  share(expression: string): string {
    let shared = this.byExpression.get(expression);
    if (!shared) {
      shared = { token: `__shared${this.byExpression.size}__`, expression, uses: 0 };
      this.byExpression.set(expression, shared);
    }
    shared.uses++;
    return shared.token;
  }

  /**
   * The declarations, then `statements` (which use the tokens), with every expression used once
   * put in its place and the others named `shared0`, `shared1`… in the order they are declared.
   */
  write(statements: readonly string[]): string[] {
    const declared = [...this.byExpression.values()];
    const texts = [...declared.map((shared) => shared.expression), ...statements];
    const kept = declared.map(() => true);
    for (let i = declared.length - 1; i >= 0; i--) {
      const shared = declared[i] as Shared;
      if (shared.uses !== 1) continue;
      // Its one user is a later declaration still kept, or a statement.
      const user = texts.findIndex((text, j) => j > i && kept[j] !== false && text.includes(shared.token));
      const inlined = texts[i] as string;
      texts[user] = (texts[user] as string).replace(shared.token, () => inlined);
      kept[i] = false;
    }
    const names = new Map<string, string>();
    for (const [i, shared] of declared.entries()) {
      if (kept[i]) names.set(shared.token, `shared${names.size}`);
    }
    const named = (text: string) => text.replace(/__shared\d+__/g, (token) => names.get(token) ?? token);
    return [
      ...declared.flatMap((shared, i) =>
        kept[i] ? [`const ${names.get(shared.token)} = ${named(texts[i] as string)};`] : [],
      ),
      ...texts.slice(declared.length).map(named),
    ];
  }
}
