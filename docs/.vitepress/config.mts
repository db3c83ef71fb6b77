// The docs site (`npx projen docs` builds it into docs/.vitepress/dist; `npx projen docs:dev`
// serves it). Navigation is generated from the files present: a page added to docs/guides,
// docs/runbooks or docs/development appears without editing this file. A page's title is its
// frontmatter `title` or first `# ` heading; guides follow GUIDE_ORDER, then `order: N` in a
// page's frontmatter, then the title.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defineConfig, type DefaultTheme } from 'vitepress';

const DOCS = path.resolve(__dirname, '..');
const REPO = path.resolve(DOCS, '..');
const REPO_URL = 'https://github.com/platform/cnpg-constructs';
/**
 * Where the site is published (GitHub Pages of the repository). The alerts' `runbook_url`s point
 * here (src/monitoring: DEFAULT_RUNBOOK_BASE_URL = SITE_URL + 'runbooks/'), so the site is built
 * for that path: test/integ/docs-site.test.ts checks that every runbook URL is a page.
 */
export const SITE_URL = 'https://platform.github.io/cnpg-constructs/';
const BASE = new URL(SITE_URL).pathname;

/** The sections, in the order of the sidebar: folder under docs/ and its title. */
const SECTIONS: { dir: string; text: string }[] = [
  { dir: 'guides', text: 'Guides' },
  { dir: 'runbooks', text: 'Alert runbooks' },
  { dir: 'api', text: 'API reference' },
  { dir: 'development', text: 'Development' },
];

interface Page { readonly link: string; readonly text: string; readonly order: number }

/** The reading order of the guides present (by file name); other pages follow, by title. */
const GUIDE_ORDER = ['getting-started-typescript', 'getting-started-python', 'getting-started-go', 'shared-cluster',
  'applications', 'backups', 'monitoring', 'security-tls', 'flux', 'audit', 'migrating', 'upgrade-from-manifests', 'upgrade-namespace',
  'upgrade-barman-plugin', 'versioning'];

function pages(dir: string): Page[] {
  const abs = path.join(DOCS, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs)
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const src = fs.readFileSync(path.join(abs, f), 'utf-8');
      const front = /^---\n([\s\S]*?)\n---/.exec(src)?.[1] ?? '';
      const title = /^title:\s*(.+)$/m.exec(front)?.[1]?.replace(/^['"]|['"]$/g, '')
        ?? /^#\s+(.+)$/m.exec(src)?.[1]?.replace(/<[^>]+>/g, '').replace(/`/g, '').trim()
        ?? f.replace(/\.md$/, '');
      const name = f.replace(/\.md$/, '');
      const listed = dir === 'guides' ? GUIDE_ORDER.indexOf(name) : -1;
      const order = listed >= 0 ? listed : Number(/^order:\s*(\d+)/m.exec(front)?.[1] ?? 1000);
      return { link: `/${dir}/${name === 'index' ? '' : name}`, text: title, order };
    })
    .sort((a, b) => a.order - b.order || a.text.localeCompare(b.text));
}

const sidebar: DefaultTheme.SidebarItem[] = SECTIONS
  .map((s) => ({ text: s.text, collapsed: s.dir === 'runbooks' ? true : undefined, items: pages(s.dir) }))
  .filter((s) => s.items.length > 0)
  .map((s) => ({ ...s, items: s.items.map(({ link, text }) => ({ link, text })) }));

const first = (dir: string) => pages(dir)[0]?.link;

/**
 * The guides' TypeScript blocks in Python and Go, translated by jsii-rosetta (scripts/docs-snippets.js,
 * run by `npx projen docs` before VitePress): keyed by a hash of the TypeScript.
 */
const SNIPPETS_FILE = path.join(REPO, '.cache', 'docs-snippets.json');
function snippets(): Record<string, { python: string; go: string }> {
  return fs.existsSync(SNIPPETS_FILE) ? JSON.parse(fs.readFileSync(SNIPPETS_FILE, 'utf-8')) : {};
}
const snippetKey = (code: string) => crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);

/** A guide's ```ts block with translations becomes a code group: TypeScript, Python, Go tabs. */
function withLanguageTabs(src: string): string {
  const translations = snippets();
  return src.replace(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm, (block, code: string) => {
    const t = translations[snippetKey(code)];
    if (!t) return block;
    return ['::: code-group', '```ts [TypeScript]', code.replace(/\n$/, ''), '```', '```python [Python]', t.python, '```',
      '```go [Go]', t.go, '```', ':::'].join('\n');
  });
}

export default defineConfig({
  title: 'cnpg-constructs',
  description: 'cdk8s constructs for a shared, multi-tenant CloudNativePG cluster with PgBouncer poolers, backups, monitoring and secrets',
  lang: 'en-US',
  base: BASE,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: `${BASE}favicon.svg` }]],
  cleanUrls: true,
  lastUpdated: false,
  // Every internal link must resolve: a dead one fails the build.
  ignoreDeadLinks: false,
  srcExclude: ['**/README.md'],
  themeConfig: {
    nav: [
      { text: 'Guides', link: first('guides') ?? '/' },
      ...(first('runbooks') ? [{ text: 'Runbooks', link: first('runbooks')! }] : []),
      {
        text: 'API',
        items: [
          { text: 'TypeScript', link: '/api/typescript' },
          { text: 'Python', link: '/api/python' },
          { text: 'Go', link: '/api/go' },
        ],
      },
    ],
    sidebar,
    search: {
      provider: 'local',
      options: {
        // Every page is indexed, the API reference of each language too. VitePress lists the first
        // hits only: guides and runbooks rank before the API pages, which repeat each term in
        // three languages.
        miniSearch: {
          searchOptions: {
            // The search box lists 16 hits. Guides rank first (they explain a term); an API
            // section ranks next only where its heading names the term (a member searched by
            // name); elsewhere the API pages only repeat the term in three languages.
            boostDocument: (id: string, term: string, stored?: { title?: string }) =>
              (/\/guides\//.test(id) ? 2
                : !/\/api\//.test(id) ? 1
                  : String(stored?.title ?? '').toLowerCase().includes(term) ? 1 : 0.1),
          },
        },
      },
    },
    outline: { level: [2, 3] },
    socialLinks: [{ icon: 'github', link: REPO_URL }],
  },
  markdown: {
    // `{...}` at a line's end is text here (jsii-docgen writes `{[ key: string ]: string}`), not
    // markdown-it-attrs attributes.
    attrs: { disable: true },
    config: (md) => {
      // Guide code in tabs (TypeScript, Python, Go): rewrites the source before block parsing, so
      // VitePress' own code-group container renders it.
      md.core.ruler.before('block', 'cnpg-language-tabs', (state) => {
        const file = (state.env as { relativePath?: string }).relativePath ?? '';
        if (file.startsWith('guides/')) state.src = withLanguageTabs(state.src);
      });
      // `{{ ... }}` in prose or inline code (Prometheus templates, Helm) is text, not Vue.
      for (const rule of ['text', 'code_inline'] as const) {
        const render = md.renderer.rules[rule]!;
        md.renderer.rules[rule] = (tokens, idx, options, env, self) =>
          render(tokens, idx, options, env, self).replace(/\{\{/g, '&#123;&#123;').replace(/\}\}/g, '&#125;&#125;');
      }
      // A relative link out of docs/ (to src/, examples/, README.md) points at the repository.
      const linkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
      md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
        const href = tokens[idx].attrGet('href');
        if (href && !/^[a-z]+:|^#|^\//i.test(href) && env.path) {
          const target = path.resolve(path.dirname(env.path), href.split('#')[0]);
          if (!target.startsWith(DOCS + path.sep)) {
            tokens[idx].attrSet('href', `${REPO_URL}/blob/main/${path.relative(REPO, target)}${href.includes('#') ? href.slice(href.indexOf('#')) : ''}`);
          }
        }
        return linkOpen(tokens, idx, options, env, self);
      };
    },
  },
});
