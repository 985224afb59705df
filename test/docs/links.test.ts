import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

// Every link in the README and docs/ must lead somewhere a reader of the published package can
// follow: the README itself or a page of docs/ (bench/, examples/, src/ and test/ are not
// shipped; the pictures in docs/img/ are), and a `#fragment` must name a heading of that page.
const ROOT = resolve(__dirname, '../..');
const PAGES = [
  'README.md',
  ...readdirSync(resolve(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const SHIPPED = (path: string): boolean =>
  path === 'README.md' ||
  /^docs\/[\w.-]+\.md$/.test(path) ||
  /^docs\/img\/[\w.-]+\.jpg$/.test(path);
// Written on another branch; once it exists it is checked like every other page.
const WRITTEN_ELSEWHERE = new Set(['docs/benchmarks.md']);

/** The anchors GitHub gives a page's headings (github-slugger's rules). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = (heading[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The targets of a page's inline links, outside code. */
function linksOf(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
}

describe.each(PAGES)('the links of %s', (page) => {
  const links = linksOf(readFileSync(resolve(ROOT, page), 'utf8')).filter(
    (target) => !/^[a-z]+:/i.test(target), // https:, mailto:: not checked here
  );

  it.each(links.length === 0 ? ['(none)'] : links)('%s resolves to a shipped page', (target) => {
    if (target === '(none)') return;
    const [path = '', fragment] = target.split('#');
    const file = path === '' ? page : relative(ROOT, resolve(ROOT, dirname(page), path));
    expect({ target, shipped: SHIPPED(file) }).toEqual({ target, shipped: true });
    if (WRITTEN_ELSEWHERE.has(file) && !existsSync(resolve(ROOT, file))) return;
    expect({ target, exists: existsSync(resolve(ROOT, file)) }).toEqual({ target, exists: true });
    if (fragment !== undefined) {
      const anchors = anchorsOf(readFileSync(resolve(ROOT, file), 'utf8'));
      expect({ target, anchor: anchors.has(fragment) }).toEqual({ target, anchor: true });
    }
  });
});
