/**
 * The search box of the history page (public/search.js), in Chromium: results as the reader types
 * (a prefix), links to the entry's page in the page's language, matched words marked, German
 * labels and results after the language switch, the keyboard (Down into the results, Up back,
 * Escape clears), and an axe-core check with results shown.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, launchBrowser, screenshot } from './support/browser';

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  // axe-core is injected as a script, which the page's Content-Security-Policy would refuse.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  await page.goto(`${baseUrl()}/`);
  await page.locator('#places article').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
});

const firstResult = () => page.locator('#search-results li').first();

async function type(text: string) {
  const input = page.locator('#search-input');
  await input.fill('');
  await input.pressSequentially(text, { delay: 20 });
}

it('finds an entry from the first letters of its name, linking to its page', async () => {
  await page.getByRole('button', { name: 'Français' }).click();
  await page.getByLabel('Rechercher un projet, un service, un lieu').waitFor();
  await type('Krounebi');
  await firstResult().getByRole('link', { name: 'Maison relais Krounebierg' }).waitFor();
  const href = await firstResult().getByRole('link').getAttribute('href');
  expect(href).toBe('/entry.html?type=project&slug=maison-relais-krounebierg&locale=fr');
  await expect(page.locator('#search-status').textContent()).resolves.toMatch(/résultat/);
});

it('marks the matched words of a snippet', async () => {
  await type('surendettement');
  // The earlier query's results stay until the new answer comes: wait for this one's.
  const mark = page.locator('#search-results mark', { hasText: /^surendettement$/i }).first();
  await mark.waitFor();
  expect(await mark.evaluate((node) => node.closest('li')?.textContent)).toMatch(/surendettement/i);
});

it('speaks German after the language switch, with German results', async () => {
  await page.getByRole('button', { name: 'Deutsch' }).click();
  await page.getByLabel('Projekt, Dienst oder Ort suchen').waitFor();
  await type('Jugendhaus Clausen');
  const link = firstResult().getByRole('link', { name: 'Jugendhaus River Clausen' });
  await link.waitFor();
  expect(await link.getAttribute('href')).toBe(
    '/entry.html?type=project&slug=maison-des-jeunes-river-clausen&locale=de',
  );
  await screenshot(page, 'search-de');
});

it('is used with the keyboard', async () => {
  const input = page.locator('#search-input');
  await input.focus();
  await page.keyboard.press('ArrowDown');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Jugendhaus River Clausen');
  await page.keyboard.press('ArrowUp');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('#search-results li').length === 0);
  expect(await input.inputValue()).toBe('');
});

it('has no serious or critical accessibility violation with results shown (axe-core)', async () => {
  await type('Maison');
  await firstResult().waitFor();
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: () => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
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
  expect(violations.filter((violation) => ['serious', 'critical'].includes(violation.impact))).toEqual([]);
});
