/**
 * The API reference at /api/docs (src/openapi/reference.ts), in Chromium, on the production server
 * of global-setup.ts: Swagger UI renders /api/openapi.json from this server alone, under the strict
 * Content-Security-Policy, with no console error (a CSP refusal would be one) and no request to
 * another origin; it shows the listing endpoint, and "Try it out" runs a GET against this server.
 */
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launchBrowser, screenshot } from './support/browser';

let browser: Browser;
let page: Page;
const errors: string[] = [];
const foreign: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const origin = new URL(baseUrl()).origin;
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin) foreign.push(request.url());
  });
});

afterAll(async () => {
  await browser?.close();
});

/** The CSP directive `name` of a policy, as a list of sources. */
const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([key]) => key === name)
    ?.slice(1) ?? [];

describe('the API reference at /api/docs', () => {
  it('is served under a strict Content-Security-Policy, with its assets from this server', async () => {
    const response = await fetch(`${baseUrl()}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const policy = response.headers.get('content-security-policy') ?? '';
    const scripts = directive(policy, 'script-src');
    expect(scripts).toContain("'self'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>/); // no inline script
    for (const src of html.match(/(?:src|href)="[^"]+"/g) ?? []) expect(src).toMatch(/="\/api\//);
    expect((await fetch(`${baseUrl()}/api/docs/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await fetch(`${baseUrl()}/api/docs/package.json`)).status).toBe(404);
  });

  it('renders the document, shows the listing endpoint, with no console error and nothing from elsewhere', async () => {
    await page.goto(`${baseUrl()}/api/docs`);
    await page.locator('.swagger-ui .info .title').waitFor();
    expect(await page.locator('.swagger-ui .info .title').textContent()).toContain(
      'Inter-Actions public API',
    );
    const listing = page.locator('.opblock-summary-path[data-path="/listings/projects"]');
    await listing.waitFor();
    expect(await listing.isVisible()).toBe(true);
    // The identifiers and the licence of the document's info are shown.
    const info = (await page.locator('.swagger-ui .info').textContent()) ?? '';
    expect(info).toContain('documentId');
    expect(info).toContain('CC BY 4.0');
    await screenshot(page, 'api-reference');
    expect({ errors, foreign }).toEqual({ errors: [], foreign: [] });
  });

  it('"Try it out" runs a GET of the listing against this server', async () => {
    const operation = page.locator('.opblock-get', {
      has: page.locator('.opblock-summary-path[data-path="/listings/projects"]'),
    });
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('200');
    expect(await operation.locator('.live-responses-table .microlight').first().textContent()).toContain(
      '"pagination"',
    );
    await screenshot(page, 'api-reference-try-it-out');
    expect({ errors, foreign }).toEqual({ errors: [], foreign: [] });
  });

  it('"Try it out" sends a nested filter in Strapi\'s syntax', async () => {
    const expected = (await (
      await fetch(`${baseUrl()}/api/projects?filters[kind][$eq]=youth-house&pagination[pageSize]=1`)
    ).json()) as { meta: { pagination: { total: number } } };
    const all = (await (await fetch(`${baseUrl()}/api/projects?pagination[pageSize]=1`)).json()) as {
      meta: { pagination: { total: number } };
    };
    expect(expected.meta.pagination.total).toBeGreaterThan(0);
    expect(expected.meta.pagination.total).toBeLessThan(all.meta.pagination.total);

    const operation = page.locator('.opblock-get', {
      has: page.locator('.opblock-summary-path[data-path="/projects"]'),
    });
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('tr[data-param-name="filters"] textarea').fill('{"kind":{"$eq":"youth-house"}}');
    const answer = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/projects');
    await operation.locator('button.execute').click();
    const response = await answer;
    expect(decodeURIComponent(new URL(response.url()).search)).toBe('?filters[kind][$eq]=youth-house');
    const body = (await response.json()) as { meta: { pagination: { total: number } } };
    expect(body.meta.pagination.total).toBe(expected.meta.pagination.total);
    expect({ errors, foreign }).toEqual({ errors: [], foreign: [] });
  });
});
