/**
 * The admin panel as communications staff use it, in Chromium: the first administrator registers
 * (in French, the panel's default) and invites a Communication user, who logs in, finds the panel
 * in French, the project list with the columns staff scan by (kinds by their label), French labels
 * and help texts in the edit view; creates a project and publishes it; edits its draft and sees
 * the draft in the preview while the public API still shows the published text; publishes, and the
 * entry's public page shows it; adds and publishes the German translation. A Translator whose
 * admin language is German finds the panel in German, the French version read-only and the German
 * one editable, restores an older German title from the history panel (« Verlauf » in German) and
 * sends the German version for review, then, after Communication rewrote a French summary, finds
 * the entry in « Zu übersetzen » (« À traduire »), reads the French text beside the German form,
 * the changed field marked, and marks the translation checked; the super administrator finds it
 * all in « Journal d'audit ».
 * Between them, the editorial workflow: a Project coordinator opens its draft from the project
 * list, completes it and sends it « À relire »; Communication gets the mail (a real SMTP server),
 * opens the entry from the home page's « À relire », compares versions in « Historique »,
 * approves it and schedules its publish a minute ahead; the list shows the stage and the date, and
 * the entry goes live at that time.
 * Screenshots of each step go to test-results/e2e/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FIELD_TEXTS } from '../../src/admin-views/texts';
import { decodeQuotedPrintable } from '../support/smtp';
import { adminToken, createAdminUser, setAdminLanguage } from './support/admin-api';
import { baseUrl, launchBrowser, screenshot } from './support/browser';

const ADMIN = {
  firstname: 'Anne',
  lastname: 'Administration',
  email: 'anne@example.test',
  password: 'Admin-Passw0rd-e2e',
};
const COMMUNICATION = { email: 'claire@example.test', password: 'Communication-Passw0rd-e2e' };
const TRANSLATOR = { email: 'tom@example.test', password: 'Translator-Passw0rd-e2e' };
const PROJECT = {
  title: 'Maison des jeunes Test E2E',
  germanTitle: 'Jugendhaus Test E2E',
  germanBadTitle: 'Jugendhaus Test E2E (versehentlich überschrieben)',
  slug: 'maison-des-jeunes-test-e2e',
  kind: 'youth-house',
  kindLabel: 'Maison des jeunes',
  year: '2024',
  site: 'Mersch',
  draftSummary: 'Résumé écrit dans le brouillon, vu en aperçu avant publication.',
};
const FRENCH_REWRITE = 'Résumé français réécrit après la traduction allemande.';
const PROJECTS = '/admin/content-manager/collection-types/api::project.project';
const TEXTS = FIELD_TEXTS['api::project.project'];

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

/** Logs in on the login page, in the language the panel shows before login (French). */
async function login(page: Page, email: string, password: string, contentManager = 'Gestion du contenu') {
  await page.goto(`${baseUrl()}/admin/auth/login`);
  await page.getByText('Bienvenue sur Inter-Actions').waitFor();
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('link', { name: contentManager }).waitFor();
}

/** Picks the first option of a relation field matching `text`. */
async function pickRelation(page: Page, field: string, text: string) {
  await page.click(`input[name=${field}]`);
  await page.fill(`input[name=${field}]`, text);
  await page.getByRole('option', { name: text, exact: true }).first().click();
}

/** Waits for the panel's notification saying `text` (a status word elsewhere on the page is not one). */
async function notification(page: Page, text: string) {
  await page
    .locator('[role=alert], [role=status]')
    .getByText(text, { exact: true })
    .first()
    .waitFor({ timeout: 20_000 });
}

async function restProject(locale: string) {
  const response = await fetch(
    `${baseUrl()}/api/projects?filters[slug][$eq]=${PROJECT.slug}&locale=${locale}`,
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: unknown };
  return body.data as {
    title: string;
    summary: string | null;
    locale: string;
    kind: string;
    foundedYear: number;
    site: { name: string };
  }[];
}

describe('communications staff in the admin panel, in French', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context, page } = await newPage());
  });

  afterAll(async () => {
    await context?.close();
  });

  it('registers the first administrator, who invites a Communication user', async () => {
    await page.goto(`${baseUrl()}/admin`);
    await page.fill('input[name=firstname]', ADMIN.firstname);
    await page.fill('input[name=lastname]', ADMIN.lastname);
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', ADMIN.password);
    await page.fill('input[name=confirmPassword]', ADMIN.password);
    // No newsletter opt-in from Strapi (its checkbox is hidden with its label).
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[role="checkbox"], input[type="checkbox"]')].length > 0 &&
        [...document.querySelectorAll('[role="checkbox"], input[type="checkbox"]')].every(
          (box) => (box as HTMLElement).offsetParent === null,
        ),
    );
    expect(
      await page
        .getByText(/nouvelles fonctionnalités/)
        .first()
        .isVisible(),
    ).toBe(false);
    await screenshot(page, '01-register-first-admin');
    await page.getByRole('button', { name: 'Prêt à commencer' }).click();
    await page.getByRole('link', { name: 'Gestion du contenu' }).waitFor();
    expect(await page.title()).toMatch(/Inter-Actions/);
    expect(await page.title()).not.toMatch(/Strapi/);
    await screenshot(page, '02-registered');

    const token = await adminToken(ADMIN.email, ADMIN.password);
    await createAdminUser(token, 'communication', COMMUNICATION.email, COMMUNICATION.password, {
      firstname: 'Claire',
      lastname: 'Communication',
    });
  });

  it('logs in as the Communication user: the panel is in French, branded', async () => {
    await context.clearCookies();
    await page.evaluate(() => {
      window.localStorage.clear();
      window.sessionStorage.clear();
    });
    await login(page, COMMUNICATION.email, COMMUNICATION.password);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await screenshot(page, '03-logged-in');
  });

  it('lists projects with title, site, kind label, founded year, status and locales', async () => {
    // The path a person takes: the menu, then « Projets »; the list is in French, and says so.
    await page.getByRole('link', { name: 'Gestion du contenu' }).click();
    await page.getByRole('link', { name: 'Projets', exact: true }).click();
    await page.waitForURL(/plugins\[i18n\]\[locale\]=fr/);
    await page.getByRole('combobox').filter({ hasText: 'Français' }).first().waitFor();
    const headers = page.locator('thead th');
    await headers.first().waitFor();
    // Headers are shown in capitals (CSS): compare without case.
    const names = (await headers.allInnerTexts()).map((text) => text.trim().toLowerCase()).filter(Boolean);
    const expected = [TEXTS.title, TEXTS.site, TEXTS.kind, TEXTS.foundedYear].map((text) => text.label);
    // Strapi's own columns, in French: the locales (i18n) and the publication status; ours: the
    // review stage, the next schedule and the translations (src/admin/extensions/workflow-columns.tsx).
    expect(names).toEqual(
      [...expected, 'Disponible en', 'Relecture', 'Planifié', 'Traductions', 'Statut'].map((name) =>
        name.toLowerCase(),
      ),
    );
    // Years as written, not "2 013".
    await page
      .getByRole('gridcell', { name: /^(19|20)\d\d$/ })
      .first()
      .waitFor();
    // Kinds by their label, not their key.
    await page.getByRole('gridcell', { name: PROJECT.kindLabel, exact: true }).first().waitFor();
    expect(await page.getByRole('gridcell', { name: PROJECT.kind, exact: true }).count()).toBe(0);
    // The locales column in French: « Allemand, Anglais + 2 autres », not "+ 2 more" or "(default)".
    await page
      .getByText(/\+ 2 autres$/)
      .first()
      .waitFor();
    expect(await page.getByText(/\(default\)| more$/).count()).toBe(0);
    await screenshot(page, '04-project-list');
  });

  it('shows French labels and help texts in the edit view', async () => {
    await page.goto(`${baseUrl()}${PROJECTS}/create?plugins[i18n][locale]=fr`);
    await page.locator('input[name=title]').waitFor();
    for (const field of ['title', 'foundedYear', 'summary'] as const) {
      // A required field's label ends with an asterisk.
      await page
        .locator('label', { hasText: new RegExp(`^${TEXTS[field].label}\\*?$`) })
        .first()
        .waitFor();
      // The hint under a field also carries Strapi's limits, in French.
      await page.getByText(TEXTS[field].help).first().waitFor();
    }
    await page.getByText('au plus 200 caractères').first().waitFor();
    await page.getByText('au moins 1900').first().waitFor();
    expect(await page.getByText(/max\. \d+ characters/).count()).toBe(0);
    await screenshot(page, '05-edit-view-french');
  });

  it('creates a project and publishes it', async () => {
    await page.fill('input[name=title]', PROJECT.title);
    await page.fill('input[name=slug]', PROJECT.slug);
    await page.click('[role=combobox][name=kind]');
    // The select offers the kinds by their label; the API stores the key.
    await page.getByRole('option', { name: PROJECT.kindLabel, exact: true }).click();
    await page.fill('input[name=foundedYear]', PROJECT.year);
    await pickRelation(page, 'site', PROJECT.site);
    await screenshot(page, '06-project-filled');

    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await notification(page, 'Sauvegardé');
    await page.waitForURL(/api::project\.project\/(?!create)[a-z0-9]+/);
    editUrl = page.url().split('?')[0];
    await page.getByRole('button', { name: 'Publier' }).click();
    await notification(page, 'Publié');
    await screenshot(page, '07-project-published');
  });

  it('previews an edited draft: the preview shows it, the public API does not', async () => {
    await page.fill('textarea[name=summary]', PROJECT.draftSummary);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await notification(page, 'Sauvegardé');

    await page.getByText('Ouvrir l’aperçu', { exact: true }).click();
    const preview = page.frameLocator('iframe').first();
    await preview.getByText(PROJECT.draftSummary).waitFor({ timeout: 30_000 });
    await preview.getByText(PROJECT.title).first().waitFor();
    await screenshot(page, '08-preview-of-draft');

    const [published] = await restProject('fr');
    expect(published.summary ?? '').not.toContain(PROJECT.draftSummary);
    await page.goto(`${editUrl}?plugins[i18n][locale]=fr`);
  });

  it('publishes the draft: the public page shows it', async () => {
    // As a person would: the draft shown before Publier is clicked (the form sends what it shows).
    await page.waitForFunction(
      (summary) =>
        (document.querySelector('textarea[name=summary]') as HTMLTextAreaElement | null)?.value === summary,
      PROJECT.draftSummary,
    );
    await page.getByRole('button', { name: 'Publier' }).click();
    await notification(page, 'Publié');
    const [published] = await restProject('fr');
    expect(published.summary).toBe(PROJECT.draftSummary);

    const publicPage = await context.newPage();
    await publicPage.goto(`${baseUrl()}/entry.html?type=project&slug=${PROJECT.slug}&locale=fr`);
    await publicPage.getByText(PROJECT.draftSummary).waitFor();
    await publicPage.getByText(PROJECT.title).first().waitFor();
    await screenshot(publicPage, '09-public-entry-page');
    await publicPage.close();
  });

  it('adds the German translation and publishes it', async () => {
    // What the locale picker opens: the entry's edit view in a locale it does not have yet.
    await page.goto(`${editUrl}?plugins[i18n][locale]=de`);
    await page.locator('input[name=title]').waitFor();
    await page.fill('input[name=title]', PROJECT.germanTitle);
    // The slug is shared by every locale, but the panel regenerates it for a new locale.
    await page.fill('input[name=slug]', PROJECT.slug);
    await pickRelation(page, 'site', PROJECT.site);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await notification(page, 'Sauvegardé');
    await page.getByRole('button', { name: 'Publier' }).click();
    await notification(page, 'Publié');
    await screenshot(page, '10-german-published');
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

const COORDINATOR = { email: 'paul@example.test', password: 'Coordinator-Passw0rd-e2e' };
const REVIEWED = {
  title: 'Maison de quartier relue E2E',
  slug: 'maison-de-quartier-relue-e2e',
  summary: 'Résumé complété par le coordinateur, relu puis publié à l’heure prévue.',
  comment: 'Résumé complété, merci de relire',
};

/** The mails the SMTP server of the run received for `address` (tests/e2e/support/global-setup.ts). */
function mailsTo(address: string): string[] {
  const dir = process.env.E2E_MAIL_DIR ?? '';
  return readdirSync(dir)
    .sort()
    .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { to: string[]; data: string })
    .filter((mail) => mail.to.includes(address))
    .map((mail) => decodeQuotedPrintable(mail.data));
}

/** The next whole minute at least `seconds` ahead, as the panel's date field takes it (Luxembourg). */
function nextMinute(seconds: number): { field: string; at: Date } {
  const at = new Date(Math.ceil((Date.now() + seconds * 1000) / 60_000) * 60_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Luxembourg',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return { field: `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`, at };
}

describe('a coordinator’s change, reviewed and scheduled by Communication', () => {
  let coordinator: { context: BrowserContext; page: Page };
  let communication: { context: BrowserContext; page: Page };
  let scheduledAt: Date;

  beforeAll(async () => {
    const token = await adminToken(ADMIN.email, ADMIN.password);
    await createAdminUser(token, 'project-coordinator', COORDINATOR.email, COORDINATOR.password, {
      firstname: 'Paul',
      lastname: 'Coordination',
    });
    // Its own project, drafted earlier (the coordinator's role edits its own entries only).
    const sites = await (await fetch(`${baseUrl()}/api/sites?filters[name][$eq]=${PROJECT.site}`)).json();
    const created = await fetch(
      `${baseUrl()}/content-manager/collection-types/api::project.project?locale=fr`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${await adminToken(COORDINATOR.email, COORDINATOR.password)}`,
        },
        body: JSON.stringify({
          title: REVIEWED.title,
          slug: REVIEWED.slug,
          kind: 'community-work',
          foundedYear: 2025,
          site: { connect: [{ documentId: sites.data[0].documentId, locale: 'fr' }] },
        }),
      },
    );
    expect(created.status).toBe(201);
    coordinator = await newPage();
    communication = await newPage();
  });

  afterAll(async () => {
    await coordinator?.context.close();
    await communication?.context.close();
  });

  it('the coordinator opens its draft from the project list, completes it and sends it « À relire »', async () => {
    const { page } = coordinator;
    await login(page, COORDINATOR.email, COORDINATOR.password);
    await page.getByRole('link', { name: 'Gestion du contenu' }).click();
    await page.getByRole('link', { name: 'Projets', exact: true }).click();
    await page.getByRole('gridcell', { name: REVIEWED.title, exact: true }).click();
    const summary = page.locator('textarea[name=summary]');
    await summary.waitFor();
    // The edit view opened from the list knows its locale, named in the panel's language.
    expect(page.url()).toContain('plugins[i18n][locale]=fr');
    await page.getByRole('combobox').filter({ hasText: 'Français' }).first().waitFor();
    await summary.fill(REVIEWED.summary);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await notification(page, 'Sauvegardé');
    // A coordinator does not publish (Strapi shows the button, disabled); it sends for review.
    const publish = page.getByRole('button', { name: 'Publier' });
    expect((await publish.count()) === 0 || (await publish.isDisabled())).toBe(true);
    await page.getByLabel('Commentaire').fill(REVIEWED.comment);
    await page.getByRole('button', { name: 'Envoyer en relecture' }).click();
    await notification(page, 'Étape : À relire.');
    await page.locator('[data-stage=review]').waitFor();
    await screenshot(page, '11-coordinator-sent-for-review');
  });

  it('Communication gets the mail and opens the entry from the home page’s « À relire »', async () => {
    let mail: string | undefined;
    for (let attempt = 0; attempt < 100 && !mail; attempt += 1) {
      mail = mailsTo(COMMUNICATION.email).find((text) => text.includes(REVIEWED.title));
      if (!mail) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(mail).toContain('Une entrée attend votre relecture');
    expect(mail).toContain('/admin/content-manager/collection-types/api::project.project/');

    const { page } = communication;
    await login(page, COMMUNICATION.email, COMMUNICATION.password);
    const entry = page.getByRole('link', { name: `${REVIEWED.title} (fr)` });
    await entry.scrollIntoViewIfNeeded();
    await screenshot(page, '12-home-to-review');
    await entry.click();
    await page.locator('textarea[name=summary]').waitFor();
    expect(await page.locator('textarea[name=summary]').inputValue()).toBe(REVIEWED.summary);
    // The « Relecture » panel: the stage and the coordinator's comment.
    await page.locator('[data-stage=review]').waitFor();
    await page.getByText(`« ${REVIEWED.comment} »`).waitFor();
    await screenshot(page, '13-opened-from-home');
  });

  it('compares in « Historique », approves and schedules the publish', async () => {
    const { page } = communication;
    const versions = page.getByRole('button', { name: /^Voir la version du / });
    await versions.nth(1).waitFor();
    // The version before the coordinator's save, beside the latest: the summary differs.
    await versions.nth(1).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('tr[data-field=summary][data-differs=true]').waitFor();
    await page.waitForTimeout(500); // the dialog's fade-in, for the screenshot only
    await screenshot(page, '14-communication-compares');
    await dialog.getByRole('button', { name: 'Fermer' }).first().click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Approuver' }).click();
    await notification(page, 'Étape : Approuvé.');
    await page.locator('[data-stage=approved]').waitFor();

    const { field, at } = nextMinute(20);
    scheduledAt = at;
    await page.getByLabel('Date et heure (heure de Luxembourg)').fill(field);
    await page.getByRole('button', { name: 'Planifier', exact: true }).click();
    await page
      .locator('[role=alert], [role=status]')
      .getByText(/^Planifié : Publier, /)
      .first()
      .waitFor();
    await page.locator('li[data-schedule]').waitFor();
    await screenshot(page, '15-communication-scheduled');
  });

  it('the project list shows the stage and the scheduled date', async () => {
    const { page } = communication;
    await page.getByRole('link', { name: 'Projets', exact: true }).click();
    const row = page.getByRole('row', { name: new RegExp(REVIEWED.title) });
    await row.locator('[data-stage=approved]').waitFor();
    expect(await row.locator('[data-scheduled]').getAttribute('data-scheduled')).toBe(
      scheduledAt.toISOString(),
    );
    await row.locator('[data-scheduled]').scrollIntoViewIfNeeded(); // the table scrolls sideways
    await screenshot(page, '16-list-scheduled');
    // The « Relecture » filter: only the approved entries, then all again.
    const rowsShown = page.locator('tbody tr');
    const all = await page.locator('text=/\\d+ entrées trouvées/').first().innerText();
    await page.getByRole('combobox', { name: 'Étape de relecture' }).click();
    await page.getByRole('option', { name: 'Approuvé', exact: true }).click();
    await page.getByText('1 entrée trouvée').waitFor();
    expect(await rowsShown.count()).toBe(1);
    await rowsShown.first().locator('[data-stage=approved]').waitFor();
    await screenshot(page, '16b-list-filtered-approved');
    await page.getByRole('combobox', { name: 'Étape de relecture' }).click();
    await page.getByRole('option', { name: 'Relecture : toutes', exact: true }).click();
    await page.getByText(all, { exact: true }).waitFor();
  });

  it('goes live at the time, with what was approved', async () => {
    const read = async () =>
      (await (await fetch(`${baseUrl()}/api/projects?filters[slug][$eq]=${REVIEWED.slug}&locale=fr`)).json())
        .data as { summary: string | null; publishedAt: string }[];
    expect(await read()).toEqual([]);
    let live = await read();
    while (live.length === 0 && Date.now() < scheduledAt.getTime() + 90_000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      live = await read();
    }
    expect(live[0]?.summary).toBe(REVIEWED.summary);
    expect(new Date(live[0].publishedAt).getTime()).toBeGreaterThanOrEqual(scheduledAt.getTime());
    const { page } = communication;
    await page.reload();
    const row = page.getByRole('row', { name: new RegExp(REVIEWED.title) });
    await row.locator('[data-stage=draft]').waitFor();
    expect(await row.locator('[data-scheduled]').count()).toBe(0);
    await screenshot(page, '17-list-published-on-time');
  }, 240_000);
});

describe('a Translator whose admin language is German', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const token = await adminToken(ADMIN.email, ADMIN.password);
    await createAdminUser(token, 'translator', TRANSLATOR.email, TRANSLATOR.password);
    await setAdminLanguage(await adminToken(TRANSLATOR.email, TRANSLATOR.password), 'de');
    ({ context, page } = await newPage());
    await login(page, TRANSLATOR.email, TRANSLATOR.password, 'Inhalts-Manager');
  });

  afterAll(async () => {
    await context?.close();
  });

  it('finds the panel in German and the French version read-only', async () => {
    await page.goto(`${editUrl}?plugins[i18n][locale]=fr`);
    const title = page.locator('input[name=title]');
    await title.waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await page
      .locator('label', { hasText: new RegExp(`^${TEXTS.title.de}\\*?$`) })
      .first()
      .waitFor();
    expect(await title.inputValue()).toBe(PROJECT.title);
    expect(await title.isEditable()).toBe(false);
    expect(await page.locator('input[name=foundedYear]').isEditable()).toBe(false);
    // The locale picker names the locale in German.
    await page.getByRole('combobox').filter({ hasText: 'Französisch' }).first().waitFor();
    // The year as written, not « 2.024 » (German number formatting).
    expect(await page.locator('input[name=foundedYear]').inputValue()).toBe(PROJECT.year);
    // No publish: Strapi shows its button disabled once the entry's actions have loaded, or none.
    const publish = page.getByRole('button', { name: 'Veröffentlichen' });
    expect((await publish.count()) === 0 || (await publish.isDisabled())).toBe(true);
    await screenshot(page, '18-translator-german-panel-french-read-only');
  });

  it('can edit the German version', async () => {
    await page.goto(`${editUrl}?plugins[i18n][locale]=de`);
    const title = page.locator('input[name=title]');
    await title.waitFor();
    expect(await title.inputValue()).toBe(PROJECT.germanTitle);
    expect(await title.isEditable()).toBe(true);
    await screenshot(page, '19-translator-german-editable');
  });

  it('restores an older German text from « Verlauf » (the history panel): a new draft, not published', async () => {
    const title = page.locator('input[name=title]');
    const versions = page.getByRole('button', { name: /^Version vom / });
    await versions.first().waitFor();
    const before = await versions.count();
    // A bad save: the title replaced.
    await title.fill(PROJECT.germanBadTitle);
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.waitForFunction(
      (count) => document.querySelectorAll('button[aria-label^="Version vom "]').length > count,
      before,
    );
    await screenshot(page, '20-translator-history-panel');
    // The version before the bad save, beside the latest: the title differs.
    await versions.nth(1).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('tr[data-field=title][data-differs=true]').waitFor();
    await dialog.getByText(String(TEXTS.title.de), { exact: true }).waitFor();
    expect(await dialog.locator('tr[data-field=title] td').nth(1).innerText()).toBe(PROJECT.germanTitle);
    expect(await dialog.locator('tr[data-field=title] td').nth(2).innerText()).toBe(PROJECT.germanBadTitle);
    await page.waitForTimeout(500); // the dialog's fade-in, for the screenshot only
    await screenshot(page, '21-translator-history-version');
    await dialog.getByRole('button', { name: 'Wiederherstellen' }).click();
    await notification(page, 'Version wiederhergestellt: Sie ist jetzt der Entwurf (nicht veröffentlicht).');
    await title.waitFor();
    expect(await title.inputValue()).toBe(PROJECT.germanTitle);
    await screenshot(page, '22-translator-history-restored');
    // What the public reads did not move: the German version published before.
    const [published] = await restProject('de');
    expect(published.title).toBe(PROJECT.germanTitle);
  });

  it('sends the German version for review (« Durchsicht »), with a comment', async () => {
    await page.locator('[data-stage]').first().waitFor();
    expect(await page.locator('[data-stage]').first().getAttribute('data-stage')).toBe('draft');
    await page.getByLabel('Kommentar').fill('Titel wiederhergestellt, bitte prüfen');
    await page.getByRole('button', { name: 'Zur Durchsicht senden' }).click();
    await notification(page, 'Schritt: Zur Durchsicht.');
    await page.locator('[data-stage=review]').waitFor();
    await page.getByText('« Titel wiederhergestellt, bitte prüfen »').waitFor();
    await screenshot(page, '23-translator-sent-for-review');
  });

  it('finds in « Zu übersetzen » what the French changed, reads the French text beside the form, marks it checked', async () => {
    // Communication rewrites the French summary: the German translation is now out of date.
    const token = await adminToken(COMMUNICATION.email, COMMUNICATION.password);
    const documentId = editUrl.split('/').pop();
    const rewritten = await fetch(
      `${baseUrl()}/content-manager/collection-types/api::project.project/${documentId}?locale=fr`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ summary: FRENCH_REWRITE }),
      },
    );
    expect(rewritten.status).toBe(200);

    await page.getByRole('link', { name: 'Zu übersetzen' }).click();
    await page.getByRole('heading', { name: 'Zu übersetzen' }).waitFor();
    const row = page.locator('tr[data-translation]', { hasText: PROJECT.title });
    await row.waitFor();
    expect(await row.getAttribute('data-translation')).toBe('outdated');
    await row.getByText(String(TEXTS.summary.de), { exact: true }).waitFor();
    // The coordinator's new project has no German version yet.
    expect(
      await page.locator('tr[data-translation=missing]', { hasText: 'Maison de quartier relue E2E' }).count(),
    ).toBe(1);
    await screenshot(page, '24-translator-to-translate');

    await row.getByRole('link', { name: PROJECT.title }).click();
    await page.locator('input[name=title]').waitFor();
    const source = page.locator('[data-source-field=summary]');
    await source.waitFor();
    expect(await source.getAttribute('data-outdated')).toBe('true');
    await source.getByText(FRENCH_REWRITE).waitFor();
    await source.scrollIntoViewIfNeeded();
    await screenshot(page, '25-translator-french-beside');
    await page.getByRole('button', { name: 'Als geprüft markieren' }).click();
    await notification(page, 'Übersetzung als geprüft markiert.');
    await page.locator('[data-translation=current]').first().waitFor();
    expect(await source.getAttribute('data-outdated')).toBe('false');
  });

  it('sends the missing German texts to a translation agency as XLIFF and imports its file as drafts', async () => {
    await page.getByRole('link', { name: 'Zu übersetzen' }).click();
    const missing = page.locator('tr[data-translation=missing]', { hasText: 'Maison de quartier relue E2E' });
    await missing.waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Als XLIFF herunterladen' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^inter-actions-fr-de-\d{4}-\d\d-\d\d\.xlf$/);
    const xml = readFileSync(await download.path(), 'utf8');
    // The agency translates the new project's title (the file's unit « title » of that entry).
    const file = xml.slice(xml.indexOf('<note category="title">Maison de quartier relue E2E</note>'));
    const title = file.slice(file.indexOf('<unit id="title"'));
    const translated = xml.replace(
      title.slice(0, title.indexOf('</source>') + '</source>'.length),
      `${title.slice(0, title.indexOf('</source>') + '</source>'.length)}<target>Überprüftes Quartiershaus E2E</target>`,
    );
    await page.locator('input[type=file]').setInputFiles({
      name: 'uebersetzt.xlf',
      mimeType: 'application/xliff+xml',
      buffer: Buffer.from(translated, 'utf8'),
    });
    // The report: the title saved as a draft; the texts the agency left empty skipped, none refused.
    const report = page.locator('[data-xliff-report]');
    await report.waitFor();
    expect(await report.innerText()).toMatch(
      /^1 Text\(e\) als Entwurf gespeichert, \d+ übersprungen, 0 abgelehnt\./,
    );
    // Now a German draft (the list names entries by their French title): no longer missing.
    await missing.waitFor({ state: 'detached' });
    await screenshot(page, '26-translator-xliff-imported');
  });
});

describe('the super administrator reads the audit log', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context, page } = await newPage());
    await login(page, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('opens « Journal d’audit » from the settings: who published, who restored, filtered by user', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Paramètres' }).first().click();
    await page.getByRole('link', { name: 'Journal d’audit' }).click();
    await page.getByRole('heading', { name: 'Journal d’audit' }).waitFor();
    const rows = page.locator('tr[data-action]');
    await rows.first().waitFor();
    // The Communication user's publications and the Translator's restore, above: each recorded.
    await page.locator('tr[data-action="entry.publish"]', { hasText: COMMUNICATION.email }).first().waitFor();
    await page.locator('tr[data-action="entry.restore"]', { hasText: TRANSLATOR.email }).first().waitFor();
    await page.locator('tr[data-action="entry.stage"]', { hasText: TRANSLATOR.email }).first().waitFor();
    await screenshot(page, '26-audit-log');

    await page.getByLabel('Utilisateur').fill(TRANSLATOR.email);
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForFunction(
      (email) =>
        [...document.querySelectorAll('tr[data-action]')].every((row) => row.textContent?.includes(email)),
      TRANSLATOR.email,
    );
    const actions = await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['entry.stage', 'entry.restore', 'admin.login']));
    await screenshot(page, '27-audit-log-filtered');
  });
});
