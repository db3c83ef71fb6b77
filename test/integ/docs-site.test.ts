// The docs site (`npx projen docs` → docs/.vitepress/dist) in a real browser: Debian's headless
// Chromium (.ci/install/chromium.sh) driven by playwright-core. Every page loads without console
// errors, every internal link (and #anchor) resolves, every alert's runbook_url in the reference
// platform (dist/example) is a page, navigation and search work (every language's API reference
// included). The Go and Python API pages show their language: Go's real signatures (checked against
// the Go package the build generated, dist/go), Python's snake_case, no raw `{@link}`; wide tables
// and code scroll instead of being cut off; guide code has TypeScript, Python and Go tabs.
// Screenshots go to test-reports/docs/ (CI artifacts).
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const SITE = path.join(ROOT, 'docs', '.vitepress', 'dist');
const SHOTS = path.join(ROOT, 'test-reports', 'docs');
const CHROMIUM = '/usr/bin/chromium';
// Where the site is published, and so the path it is built for (docs/.vitepress/config.mts).
const SITE_URL = /SITE_URL = '([^']+)'/.exec(fs.readFileSync(path.join(ROOT, 'docs', '.vitepress', 'config.mts'), 'utf-8'))![1];
const BASE = new URL(SITE_URL).pathname;
// The machine's Chromium flags: no sandbox (root), no GPU, no network of its own.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** Serves the built site under BASE as GitHub Pages does, with clean URLs (`guides/x` → `guides/x.html`). */
function serve(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const url = pathname.startsWith(BASE) ? pathname.slice(BASE.length - 1) : undefined;
    const candidates = url === undefined ? [] : [url, `${url}.html`, path.join(url, 'index.html')];
    const file = candidates.map((c) => path.join(SITE, c)).find((f) => f.startsWith(SITE) && fs.existsSync(f) && fs.statSync(f).isFile());
    if (!file) {
      res.writeHead(404, { 'content-type': TYPES['.html'] }).end(fs.readFileSync(path.join(SITE, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: http.Server;
let base: string;
let context: BrowserContext;
let profile: string;

interface Visit {
  readonly status: number;
  readonly errors: string[];
  readonly ids: Set<string>;
  readonly links: string[];
  /** The text of the page's content (.vp-doc). */
  readonly text: string;
  /** Elements of the content wider than their box that do not scroll (cut off). */
  readonly cutOff: string[];
  /** Whether the page is wider than the window. */
  readonly widerThanWindow: boolean;
}
const visits = new Map<string, Visit>();

async function visit(page: Page, pathname: string): Promise<Visit> {
  const errors: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => { if (m.type() === 'error') errors.push(m.text()); };
  const onError = (e: Error) => errors.push(e.message);
  const onResponse = (r: { status(): number; url(): string }) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); };
  page.on('console', onConsole);
  page.on('pageerror', onError);
  page.on('response', onResponse);
  const response = await page.goto(base + pathname, { waitUntil: 'networkidle' });
  // The big API pages settle after hydration: read the DOM once it has stopped changing.
  let count = -1;
  for (let i = 0; i < 20; i++) {
    const now = await page.evaluate(() => document.querySelectorAll('[id], a[href]').length);
    if (now === count) break;
    count = now;
    await page.waitForTimeout(250);
  }
  const { ids, links, text, cutOff, widerThanWindow } = await page.evaluate(() => ({
    ids: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.getAttribute('name') || ''),
    links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
    text: (document.querySelector('.vp-doc') as HTMLElement | null)?.innerText ?? '',
    cutOff: [...document.querySelectorAll('.vp-doc table, .vp-doc pre, .vp-doc h1, .vp-doc h2, .vp-doc h3, .vp-doc h4, .vp-doc h5, .vp-doc p, .vp-doc li')]
      .filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && !['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
      .map((e) => `<${e.tagName.toLowerCase()}> ${(e.textContent ?? '').slice(0, 60)}`),
    widerThanWindow: document.documentElement.scrollWidth > window.innerWidth + 1,
  }));
  page.off('console', onConsole);
  page.off('pageerror', onError);
  page.off('response', onResponse);
  return { status: response?.status() ?? 0, errors, ids: new Set(ids), links, text, cutOff, widerThanWindow };
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(SITE, 'index.html'))) throw new Error(`${SITE} is missing: build the site with 'npx projen docs'`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with 'bash .ci/install/chromium.sh'`);
  server = await serve();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-docs-chromium-'));
  // A persistent context is how playwright passes a fresh --user-data-dir.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });

  // Crawl every page reachable from the home page.
  const page = await context.newPage();
  const queue = [BASE];
  while (queue.length) {
    const next = queue.shift()!;
    if (visits.has(next)) continue;
    const v = await visit(page, next);
    visits.set(next, v);
    for (const link of v.links) {
      const u = new URL(link);
      if (u.origin === base && !visits.has(u.pathname) && !queue.includes(u.pathname)) queue.push(u.pathname);
    }
  }
  await page.close();
}, 300_000);

/** `expect` of a promise (the page's text is read asynchronously). */
const expect_ = (p: Promise<string>) => expect(p);

afterAll(async () => {
  await context?.close();
  server?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

describe('the docs site in Chromium', () => {
  test('the crawl reached the guides and the API reference of each language', () => {
    const pages = [...visits.keys()];
    expect(pages).toEqual(expect.arrayContaining([
      '', 'guides/getting-started-typescript', 'guides/getting-started-python', 'guides/getting-started-go',
      'guides/backups', 'api/typescript', 'api/python', 'api/go',
    ].map((p) => BASE + p)));
  });

  test('every page loads (200) without console errors', () => {
    const bad = [...visits].filter(([, v]) => v.status !== 200 || v.errors.length).map(([p, v]) => `${p}: ${v.status} ${v.errors.join(' | ')}`);
    expect(bad).toEqual([]);
  });

  test('no internal link is broken (pages and #anchors)', () => {
    const broken: string[] = [];
    for (const [from, v] of visits) {
      for (const link of v.links) {
        const u = new URL(link);
        if (u.origin !== base) continue;
        const target = visits.get(u.pathname);
        if (!target || target.status !== 200) broken.push(`${from} → ${u.pathname} (page)`);
        else if (u.hash && !target.ids.has(decodeURIComponent(u.hash.slice(1)))) broken.push(`${from} → ${u.pathname}${u.hash} (anchor)`);
      }
    }
    expect([...new Set(broken)]).toEqual([]);
  });

  test('navigation: home → getting started → a sidebar page → the Python API', async () => {
    const page = await context.newPage();
    await page.goto(base + BASE, { waitUntil: 'networkidle' });
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'home.png'), fullPage: true });
    await page.getByRole('link', { name: 'Get started' }).click();
    await page.waitForURL('**/guides/getting-started-typescript');
    await page.locator('h1', { hasText: 'Getting started (TypeScript)' }).waitFor({ timeout: 10_000 });
    await page.locator('.VPSidebar').getByRole('link', { name: 'Security and TLS' }).click();
    await page.waitForURL('**/guides/security-tls');
    await page.locator('h1', { hasText: 'Security and TLS' }).waitFor({ timeout: 10_000 });
    await page.locator('.VPSidebar').getByRole('link', { name: 'API reference (Python)' }).click();
    await page.waitForURL('**/api/python');
    await page.locator('h1', { hasText: 'API reference (Python)' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SHOTS, 'api-python.png') });
    await page.close();
  });

  test('no page shows a raw {@link} or is cut off: wide tables and code scroll', () => {
    const raw = [...visits].filter(([, v]) => v.text.includes('{@link')).map(([p]) => p);
    expect(raw).toEqual([]);
    const cut = [...visits].filter(([, v]) => v.cutOff.length || v.widerThanWindow).map(([p, v]) => `${p}: ${v.widerThanWindow ? 'wider than the window; ' : ''}${v.cutOff.slice(0, 3).join(', ')}`);
    expect(cut).toEqual([]);
  });

  test("the Go API page shows Go: the generated package's signatures, *float64, pointers to structs, static functions", () => {
    const text = visits.get(`${BASE}api/go`)!.text.replace(/\s+/g, ' ');
    const expected = ['props *CnpgSharedClusterProps', 'Instances *float64', 'ApplicationProfile_KEYCLOAK()', 'func ApplicationProfile_KEYCLOAK() ApplicationProfile',
      'AddApplication(name *string, props *ApplicationProps) CnpgApplication', 'Storage *ClusterStorage', 'scope constructs.Construct'];
    expect(expected.filter((e) => !text.includes(e))).toEqual([]);
    const wrong = ['*f64', 'func Keycloak()', 'props CnpgSharedClusterProps', 'AntiAffinity: github.com/', 'github.com/aws/constructs-go/constructs/v10.Construct'];
    expect(wrong.filter((w) => text.includes(w))).toEqual([]);
    // Every exported function and getter of the Go package the build generated (dist/go), with its
    // parameter and result types, is on the page as Go declares it.
    const dir = path.join(ROOT, 'dist', 'go', 'cnpgconstructs');
    if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: build it with 'npx projen package:go'`);
    const norm = (s: string) => s.replace(/\b(?!cnpgconstructs)[a-z]\w*\.(?=[A-Z])/g, '').replace(/\s+/g, ' ').trim();
    const declared = new Set<string>();
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.go') && !n.includes('__'))) {
      for (const m of fs.readFileSync(path.join(dir, f), 'utf-8').matchAll(/^func (?:\((\w+) \*jsiiProxy_\w+\) )?(\w+)\(([^)]*)\)\s*([^{\n]*)\{/gm)) {
        const [, receiver, name, params, result] = m;
        if (/^[a-z]|_Override$/.test(name) || (receiver && name.startsWith('Set'))) continue;
        declared.add(`${name}(${norm(params)})${result.trim() ? ` ${norm(result)}` : ''}`);
      }
    }
    expect(declared.size).toBeGreaterThan(100);
    const page = norm(text);
    expect([...declared].filter((d) => !page.includes(d))).toEqual([]);
  });

  test('the Python API page shows Python: snake_case names and keyword arguments, descriptions in Python', () => {
    const text = visits.get(`${BASE}api/python`)!.text.replace(/\s+/g, ' ');
    const expected = ['def add_application(', 'max_connections', 'ApplicationProfile.KEYCLOAK', 'settings.operator_version', 'BackupCredentials.from_secret_store(',
      '{"release": "kube-prometheus-stack"}'];
    expect(expected.filter((e) => !text.includes(e))).toEqual([]);
    const wrong = ['addApplication(', 'maxConnections', 'settings.operatorVersion', "{ release: 'kube-prometheus-stack' }"];
    expect(wrong.filter((w) => text.includes(w))).toEqual([]);
  });

  test('guide code has TypeScript, Python and Go tabs; the Python tab shows Python', async () => {
    const page = await context.newPage();
    await page.goto(`${base}${BASE}guides/applications`, { waitUntil: 'networkidle' });
    const group = page.locator('.vp-code-group').first();
    expect(await group.locator('.tabs label').allInnerTexts()).toEqual(['TypeScript', 'Python', 'Go']);
    await group.locator('.tabs label', { hasText: 'Python' }).click();
    const python = group.locator('.blocks > div.active');
    await expect_(python.innerText()).resolves.toContain('cluster.add_application("keycloak", profile=ApplicationProfile.KEYCLOAK)');
    await group.locator('.tabs label', { hasText: 'Go' }).click();
    await expect_(group.locator('.blocks > div.active').innerText()).resolves.toContain('cluster.AddApplication(jsii.String("keycloak"), &cnpgconstructs.ApplicationProps{');
    await page.screenshot({ path: path.join(SHOTS, 'guide-tabs.png') });
    await page.close();
  });

  test.each([['typescript', 'addApplication'], ['python', 'add_application'], ['go', 'AddApplication']])(
    'search finds the %s API reference (%s)', async (language, term) => {
      const page = await context.newPage();
      await page.goto(base + BASE, { waitUntil: 'networkidle' });
      await page.locator('.VPNavBarSearch button').first().click();
      await page.locator('.VPLocalSearchBox input').fill(`${term} CnpgSharedCluster`);
      const results = page.locator('.VPLocalSearchBox .results a');
      await results.first().waitFor({ timeout: 10_000 });
      const hrefs = await results.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
      expect(hrefs).toEqual(expect.arrayContaining([`${BASE}api/${language}`]));
      await page.close();
    });

  test('search: "ScheduledBackup" finds the backup guide', async () => {
    const page = await context.newPage();
    await page.goto(base + BASE, { waitUntil: 'networkidle' });
    await page.locator('.VPNavBarSearch button').first().click();
    await page.locator('.VPLocalSearchBox input').fill('ScheduledBackup');
    const results = page.locator('.VPLocalSearchBox .results a');
    await results.first().waitFor({ timeout: 10_000 });
    const hrefs = await results.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    await page.screenshot({ path: path.join(SHOTS, 'search.png') });
    expect(hrefs).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${BASE}guides/backups`))]));
    await page.close();
  });

  test("every alert's runbook_url in the reference platform is a page of the site", () => {
    const dir = path.join(ROOT, 'dist', 'example');
    if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: run 'npx projen synth:example'`);
    const urls = new Set<string>();
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.k8s.yaml'))) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf-8')).map((d) => d.toJSON())) {
        if (doc?.kind !== 'PrometheusRule') continue;
        for (const group of doc.spec?.groups ?? []) {
          for (const rule of group.rules ?? []) if (rule.annotations?.runbook_url) urls.add(rule.annotations.runbook_url);
        }
      }
    }
    const missing = [...urls].filter((u) => !u.startsWith(SITE_URL) || visits.get(new URL(u).pathname)?.status !== 200);
    expect(missing).toEqual([]);
  });
});
