/**
 * The public history page at `/`, in Chromium: every seeded place and project with its year, the
 * German version, the remembered language, the text-size controls, the keyboard, and an axe-core
 * check. Screenshots of the French and German pages go to test-results/e2e/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { APP_DIR } from '../support/server-process';
import { baseUrl, launchBrowser, screenshot } from './support/browser';

interface SeedProject {
  slug: string;
  title: Record<string, string>;
  foundedYear: number;
  site: string;
}
interface SeedSite {
  slug: string;
  name: Record<string, string>;
}
const seed = <T>(name: string): T[] =>
  JSON.parse(readFileSync(path.join(APP_DIR, 'database', 'seed', `${name}.json`), 'utf8'));
const projects = seed<SeedProject>('projects');
const sites = seed<SeedSite>('sites');

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  // axe-core is injected as a script, which the page's Content-Security-Policy would refuse.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

/** The places, each with its projects' "year title" lines, as the page shows them. */
const placesShown = () =>
  page.$$eval('#places article', (articles) =>
    articles.map((article) => ({
      place: article.querySelector('h3')?.firstChild?.textContent?.trim() ?? '',
      projects: [...article.querySelectorAll('li')].map(
        (item) => `${item.querySelector('.year')?.textContent} ${item.querySelector('.title')?.textContent}`,
      ),
    })),
  );

async function open() {
  await page.goto(`${baseUrl()}/`);
  await page.locator('#places article').first().waitFor();
}

const rootFontSize = () =>
  page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

describe('the history page at /', () => {
  it('shows every seeded place and project with its year, in French', async () => {
    await open();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    const shown = await placesShown();
    expect(shown.map((place) => place.place).sort()).toEqual(sites.map((site) => site.name.fr).sort());
    for (const project of projects) {
      const site = sites.find((candidate) => candidate.slug === project.site);
      const place = shown.find((candidate) => candidate.place === site?.name.fr);
      expect({
        project: project.slug,
        shown: place?.projects.includes(`${project.foundedYear} ${project.title.fr}`),
      }).toEqual({
        project: project.slug,
        shown: true,
      });
    }
    // Every published project, the seed's and any added since (the admin test adds one).
    const listed = (await (await fetch(`${baseUrl()}/api/projects?pagination[pageSize]=1`)).json()) as {
      meta: { pagination: { total: number } };
    };
    expect(shown.flatMap((place) => place.projects)).toHaveLength(listed.meta.pagination.total);
    expect(await page.locator('#services-list li').count()).toBe(5);
    expect(await page.locator('#enterprises-list li').count()).toBe(2);
    expect(await page.locator('#funders-list li').count()).toBe(12);
    await screenshot(page, '11-history-page-fr');
  });

  it('switches to German, and remembers it on the next visit', async () => {
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Geschichte' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.getByText(projects[0].title.de, { exact: true }).first().waitFor();
    expect(await page.getByRole('heading', { name: 'Stadtteilprojekte' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Deutsch' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, '12-history-page-de');

    await open();
    await page.getByRole('heading', { level: 1, name: 'Geschichte' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');
  });

  it('shows an entry with no Luxembourgish version in French, marked lang="fr"', async () => {
    // Added by admin-panel.e2e.ts in French and German only.
    await page.getByRole('button', { name: 'Lëtzebuergesch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Geschicht' }).waitFor();
    const entry = page.getByText('Maison des jeunes Test E2E', { exact: true });
    await entry.waitFor();
    expect(await entry.getAttribute('lang')).toBe('fr');
    const translated = page.getByText(projects[0].title.lb, { exact: true }).first();
    expect(await translated.getAttribute('lang')).toBeNull();
  });

  it('makes the text larger with A+, back with A, smaller with A-', async () => {
    await page.getByRole('button', { name: 'Deutsch' }).click(); // keep the German page
    const normal = await rootFontSize();
    await page.getByRole('button', { name: 'Text vergrößern' }).click();
    const larger = await rootFontSize();
    expect(larger).toBeGreaterThan(normal);
    const heading = await page.locator('h1').boundingBox();
    await page.getByRole('button', { name: 'Normale Textgröße' }).click();
    expect(await rootFontSize()).toBe(normal);
    expect((await page.locator('h1').boundingBox())!.height).toBeLessThan(heading!.height);
    await page.getByRole('button', { name: 'Text verkleinern' }).click();
    expect(await rootFontSize()).toBeLessThan(normal);
    await page.getByRole('button', { name: 'Normale Textgröße' }).click();
  });

  it('is usable with the keyboard: skip link first, then the controls', async () => {
    await open();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-locale'))).toBe('fr');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Historique' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
  });

  it.each(['fr', 'de'])(
    'has no serious or critical accessibility violation (axe-core, %s)',
    async (locale) => {
      await page.getByRole('button', { name: locale === 'fr' ? 'Français' : 'Deutsch' }).click();
      await page.locator('#places article').first().waitFor();
      await page.waitForFunction((lang) => document.documentElement.lang === lang, locale);
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: () => Promise<{
                violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
              }>;
            };
          }
        ).axe;
        const result = await axe.run();
        return result.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          nodes: violation.nodes.map((node) => node.target.join(' ')),
        }));
      });
      expect(violations.filter((violation) => ['serious', 'critical'].includes(violation.impact))).toEqual(
        [],
      );
    },
  );

  it('loads nothing from another origin', async () => {
    const origins = new Set<string>();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));
    await open();
    expect([...origins]).toEqual([baseUrl()]);
  });
});
