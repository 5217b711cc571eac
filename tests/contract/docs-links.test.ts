import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** README.md and every page under docs/, as paths from the repository root. */
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(PROJECT_ROOT, 'docs')).map((name) => `docs/${name}`),
].filter((path) => path.endsWith('.md'));

interface Link {
  document: string;
  target: string;
}

/** A Markdown file without its fenced code blocks: a snippet's `[a](b)` or `# comment` is code. */
const proseOf = (file: string): string => readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');

/** Inline Markdown links outside fenced code blocks. */
const linksOf = (document: string): Link[] => {
  const text = proseOf(join(PROJECT_ROOT, document));
  return [...text.matchAll(/\[[^\]\n]*\]\(([^)\s]+)\)/g)].map((match) => ({
    document,
    target: match[1] ?? '',
  }));
};

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (file: string): Set<string> =>
  new Set(
    proseOf(file)
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => slug(line.replace(/^#+ /, ''))),
  );

const relativeLinks = DOCUMENTS.flatMap(linksOf).filter((link) => !isExternal(link.target));

describe('the documentation links', () => {
  it('finds the documents and their relative links', () => {
    expect(DOCUMENTS).toContain('README.md');
    expect(DOCUMENTS).toContain('docs/api.md');
    expect(relativeLinks.length).toBeGreaterThan(20);
  });

  it.each(relativeLinks.map((link) => [`${link.document} → ${link.target}`, link] as const))(
    '%s points at a file of the repository',
    (_name, { document, target }) => {
      const [path = '', anchor] = target.split('#');
      const file =
        path === '' ? join(PROJECT_ROOT, document) : resolve(PROJECT_ROOT, dirname(document), path);
      const fromRoot = relative(PROJECT_ROOT, file);
      expect(fromRoot === '..' || fromRoot.startsWith(`..${sep}`), `${target} leaves the repository`).toBe(
        false,
      );
      expect(existsSync(file), `${fromRoot} does not exist`).toBe(true);
      if (anchor !== undefined) {
        expect(statSync(file).isFile() && file.endsWith('.md'), `${target}: anchors only into Markdown`).toBe(
          true,
        );
        expect([...anchorsOf(file)]).toContain(anchor);
      }
    },
  );

  it('links every page under docs/ from the README', () => {
    const fromReadme = new Set(linksOf('README.md').map((link) => link.target.split('#')[0]));
    const pages = DOCUMENTS.filter((path) => path.startsWith('docs/'));
    expect(pages.filter((page) => !fromReadme.has(page))).toEqual([]);
  });
});
