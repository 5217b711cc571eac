/**
 * A page described as plain data. Views build these trees without touching the DOM (so they
 * can be tested in Node); `patch.ts` then brings the live DOM in line with a tree, keeping the
 * nodes that did not change, and with them the scroll position, focus and open details.
 */
export type AttrValue = string | number | boolean | null | undefined;

export interface VElement {
  tag: string;
  attrs: Record<string, AttrValue>;
  /** Set through CSSOM (never a `style` attribute), which the page's Content-Security-Policy allows. */
  style: Record<string, string>;
  children: VNode[];
  /** Identifies an element among its siblings across renders (the project id of a card). */
  key: string | undefined;
}

export type VNode = VElement | string;

export type Child = VNode | null | undefined | false | readonly Child[];

export interface Props {
  [name: string]: AttrValue | Record<string, string>;
  style?: Record<string, string>;
  key?: string;
}

const flatten = (children: readonly Child[], into: VNode[]): VNode[] => {
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === '') continue;
    if (typeof child === 'string' || !Array.isArray(child)) into.push(child as VNode);
    else flatten(child as readonly Child[], into);
  }
  return into;
};

export const h = (tag: string, props: Props | null = null, ...children: Child[]): VElement => {
  const attrs: Record<string, AttrValue> = {};
  let style: Record<string, string> = {};
  let key: string | undefined;
  for (const [name, value] of Object.entries(props ?? {})) {
    if (name === 'style') style = value as Record<string, string>;
    else if (name === 'key') key = value as string;
    else attrs[name] = value as AttrValue;
  }
  return { tag, attrs, style, children: flatten(children, []), key };
};

/** All the text of a tree, as a reader would see it run together (for tests and accessible names). */
export const textOf = (node: VNode): string =>
  typeof node === 'string' ? node : node.children.map((child) => textOf(child)).join('');

/** Every element of a tree, depth first, that satisfies `match` (for tests). */
export const findAll = (node: VNode, match: (element: VElement) => boolean): VElement[] => {
  if (typeof node === 'string') return [];
  const found = match(node) ? [node] : [];
  return found.concat(node.children.flatMap((child) => findAll(child, match)));
};
