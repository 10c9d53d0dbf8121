/**
 * The admin panel as communications staff use it, in Chromium: the first administrator registers
 * and logs in, creates a project in the Content Manager, publishes it, adds and publishes its
 * German translation; both locales are then read back through the public REST API. A Translator
 * then finds the French version read-only and the German one editable. Screenshots of each step
 * go to test-results/e2e/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminToken, createAdminUser } from './support/admin-api';
import { baseUrl, launchBrowser, screenshot } from './support/browser';

const ADMIN = {
  firstname: 'Anne',
  lastname: 'Communication',
  email: 'anne@example.test',
  password: 'Admin-Passw0rd-e2e',
};
const TRANSLATOR = { email: 'tom@example.test', password: 'Translator-Passw0rd-e2e' };
const PROJECT = {
  title: 'Maison des jeunes Test E2E',
  germanTitle: 'Jugendhaus Test E2E',
  slug: 'maison-des-jeunes-test-e2e',
  kind: 'youth-house',
  year: '2024',
  site: 'Mersch',
};
const PROJECTS = '/admin/content-manager/collection-types/api::project.project';

let browser: Browser;
let editUrl: string;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  return { context, page: await context.newPage() };
}

async function login(page: Page, email: string, password: string) {
  await page.goto(`${baseUrl()}/admin/auth/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.getByRole('link', { name: 'Content Manager' }).waitFor();
}

/** Picks the first option of a relation field matching `text`. */
async function pickRelation(page: Page, field: string, text: string) {
  await page.click(`input[name=${field}]`);
  await page.fill(`input[name=${field}]`, text);
  await page.getByRole('option', { name: text, exact: true }).first().click();
}

async function notification(page: Page, text: string) {
  await page.getByText(text, { exact: true }).first().waitFor({ timeout: 20_000 });
}

async function restProject(locale: string) {
  const response = await fetch(
    `${baseUrl()}/api/projects?filters[slug][$eq]=${PROJECT.slug}&locale=${locale}`,
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: unknown };
  return body.data as {
    title: string;
    locale: string;
    kind: string;
    foundedYear: number;
    site: { name: string };
  }[];
}

describe('communications staff in the admin panel', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context, page } = await newPage());
  });

  afterAll(async () => {
    await context?.close();
  });

  it('registers the first administrator', async () => {
    await page.goto(`${baseUrl()}/admin`);
    await page.fill('input[name=firstname]', ADMIN.firstname);
    await page.fill('input[name=lastname]', ADMIN.lastname);
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', ADMIN.password);
    await page.fill('input[name=confirmPassword]', ADMIN.password);
    await screenshot(page, '01-register-first-admin');
    await page.getByRole('button', { name: "Let's start" }).click();
    await page.getByRole('link', { name: 'Content Manager' }).waitFor();
    await screenshot(page, '02-registered');
  });

  it('logs in', async () => {
    await context.clearCookies();
    await page.evaluate(() => {
      window.localStorage.clear();
      window.sessionStorage.clear();
    });
    await login(page, ADMIN.email, ADMIN.password);
    await screenshot(page, '03-logged-in');
  });

  it('creates a project in the Content Manager and publishes it', async () => {
    await page.goto(`${baseUrl()}${PROJECTS}/create?plugins[i18n][locale]=fr`);
    await page.fill('input[name=title]', PROJECT.title);
    await page.fill('input[name=slug]', PROJECT.slug);
    await page.click('[role=combobox][name=kind]');
    await page.getByRole('option', { name: PROJECT.kind, exact: true }).click();
    await page.fill('input[name=foundedYear]', PROJECT.year);
    await pickRelation(page, 'site', PROJECT.site);
    await screenshot(page, '04-project-filled');

    await page.getByRole('button', { name: 'Save' }).click();
    await notification(page, 'Saved document');
    await page.waitForURL(/api::project\.project\/(?!create)[a-z0-9]+/);
    editUrl = page.url().split('?')[0];
    await screenshot(page, '05-project-saved');

    await page.getByRole('button', { name: 'Publish' }).click();
    await notification(page, 'Published document');
    await screenshot(page, '06-project-published');
  });

  it('switches to German, saves and publishes the translation', async () => {
    await page.getByRole('combobox', { name: 'Locales' }).click();
    await page.getByRole('option', { name: /German \(de\)/ }).click();
    await page.waitForURL(/plugins\[i18n\]\[locale\]=de/);
    await page.fill('input[name=title]', PROJECT.germanTitle);
    // The slug is shared by every locale, but the panel regenerates it for a new locale.
    await page.fill('input[name=slug]', PROJECT.slug);
    await pickRelation(page, 'site', PROJECT.site);
    await screenshot(page, '07-german-filled');
    await page.getByRole('button', { name: 'Save' }).click();
    await notification(page, 'Saved document');
    await page.getByRole('button', { name: 'Publish' }).click();
    await notification(page, 'Published document');
    await screenshot(page, '08-german-published');
  });

  it('reads both locales back through the REST API', async () => {
    const [french] = await restProject('fr');
    expect(french).toMatchObject({
      title: PROJECT.title,
      locale: 'fr',
      kind: PROJECT.kind,
      foundedYear: Number(PROJECT.year),
      site: { name: PROJECT.site },
    });
    const [german] = await restProject('de');
    expect(german).toMatchObject({ title: PROJECT.germanTitle, locale: 'de', kind: PROJECT.kind });
  });
});

describe('a Translator in the admin panel', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const token = await adminToken(ADMIN.email, ADMIN.password);
    await createAdminUser(token, 'translator', TRANSLATOR.email, TRANSLATOR.password);
    ({ context, page } = await newPage());
    await login(page, TRANSLATOR.email, TRANSLATOR.password);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('finds the French version read-only', async () => {
    await page.goto(`${editUrl}?plugins[i18n][locale]=fr`);
    const title = page.locator('input[name=title]');
    await title.waitFor();
    expect(await title.inputValue()).toBe(PROJECT.title);
    expect(await title.isEditable()).toBe(false);
    expect(await page.locator('input[name=foundedYear]').isEditable()).toBe(false);
    expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    await screenshot(page, '09-translator-french-read-only');
  });

  it('can edit the German version', async () => {
    await page.goto(`${editUrl}?plugins[i18n][locale]=de`);
    const title = page.locator('input[name=title]');
    await title.waitFor();
    expect(await title.inputValue()).toBe(PROJECT.germanTitle);
    expect(await title.isEditable()).toBe(true);
    await screenshot(page, '10-translator-german-editable');
  });
});
