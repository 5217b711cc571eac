/**
 * Brings a live element's children in line with a tree from `vdom.ts`. Nodes are reused where
 * the tag (and key) match, so a refresh changes only the text and attributes that changed: the
 * reader keeps their scroll position, their focus and whatever they opened.
 */
import type { VElement, VNode } from './vdom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const KEY_ATTRIBUTE = 'data-key';
/** Attributes the reader controls: kept as they are unless the tree says otherwise. */
const READER_CONTROLLED = new Set(['open']);

const appliedStyles = new WeakMap<Element, Record<string, string>>();

const patchStyle = (element: Element, style: Record<string, string>) => {
  const css = (element as HTMLElement | SVGElement).style;
  const before = appliedStyles.get(element) ?? {};
  for (const name of Object.keys(before)) if (!(name in style)) css.removeProperty(name);
  for (const [name, value] of Object.entries(style)) {
    if (before[name] !== value) css.setProperty(name, value);
  }
  appliedStyles.set(element, style);
};

const patchAttributes = (element: Element, node: VElement) => {
  const wanted = new Map<string, string>();
  for (const [name, value] of Object.entries(node.attrs)) {
    if (value === null || value === undefined || value === false) continue;
    // A select has no value attribute: patchElement sets the property.
    if (name === 'value' && element instanceof HTMLSelectElement) continue;
    wanted.set(name, value === true ? '' : String(value));
  }
  if (node.key !== undefined) wanted.set(KEY_ATTRIBUTE, node.key);
  for (const attribute of Array.from(element.attributes)) {
    if (
      wanted.has(attribute.name) ||
      // The style attribute mirrors what patchStyle set through CSSOM.
      attribute.name === 'style' ||
      (READER_CONTROLLED.has(attribute.name) && !(attribute.name in node.attrs))
    ) {
      continue;
    }
    element.removeAttribute(attribute.name);
  }
  for (const [name, value] of wanted) {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }
};

const create = (node: VElement, svg: boolean): Element =>
  svg ? document.createElementNS(SVG_NS, node.tag) : document.createElement(node.tag);

const patchElement = (element: Element, node: VElement, svg: boolean) => {
  patchAttributes(element, node);
  patchStyle(element, node.style);
  patchChildren(element, node.children, svg && node.tag !== 'foreignObject');
  // A select shows the option its value names, whatever the reader picked before a refresh.
  if (element instanceof HTMLSelectElement && typeof node.attrs.value === 'string') {
    if (element.value !== node.attrs.value) element.value = node.attrs.value;
  }
};

export const patchChildren = (parent: Element, children: readonly VNode[], svg = false): void => {
  const keyed = new Map<string, Element>();
  for (const child of Array.from(parent.children)) {
    const key = child.getAttribute(KEY_ATTRIBUTE);
    if (key !== null) keyed.set(key, child);
  }
  let index = 0;
  for (const node of children) {
    const current = parent.childNodes[index] ?? null;
    if (typeof node === 'string') {
      if (current?.nodeType === Node.TEXT_NODE) {
        if (current.nodeValue !== node) current.nodeValue = node;
      } else {
        parent.insertBefore(document.createTextNode(node), current);
      }
    } else {
      const inSvg = svg || node.tag === 'svg';
      let element: Element | null = null;
      if (node.key !== undefined) {
        const found = keyed.get(node.key);
        if (found?.localName === node.tag) element = found;
      } else if (
        current instanceof Element &&
        current.localName === node.tag &&
        !current.hasAttribute(KEY_ATTRIBUTE)
      ) {
        element = current;
      }
      element ??= create(node, inSvg);
      if (element !== current) parent.insertBefore(element, current);
      patchElement(element, node, inSvg);
    }
    index++;
  }
  while (parent.childNodes.length > index) parent.lastChild?.remove();
};
