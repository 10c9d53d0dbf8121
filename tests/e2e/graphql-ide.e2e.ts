/**
 * GraphiQL at GET /graphql (src/graphql/ide.ts), in Chromium: in development it loads from this
 * server alone, with no console error (a CSP refusal would be one) and no request to another
 * origin, and runs a query. In production (the e2e server of global-setup.ts) it is off, and the
 * schema document is the way to the schema.
 *
 * A second server is started here in development mode on its own database (global-teardown.ts
 * drops it with the run's other databases).
 */
import type { Browser, Page } from 'playwright-core';
import { createDatabase, databaseUrl } from '../support/database';
import { spawnStrapi, waitForHealth, type ServerProcess } from '../support/server-process';
import { randomSecrets } from '../../src/utils/secrets';
import { baseUrl, launchBrowser, screenshot } from './support/browser';

let browser: Browser;
let development: ServerProcess | undefined;
let developmentUrl = '';

beforeAll(async () => {
  const database = `${process.env.TEST_RUN_PREFIX}_ide`;
  await createDatabase(database);
  development = await spawnStrapi({
    env: {
      NODE_ENV: 'development',
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: databaseUrl(database),
      SEED_ON_BOOT: 'true',
      ...randomSecrets(),
    },
  });
  await waitForHealth(development, 120_000);
  developmentUrl = `http://127.0.0.1:${development.port}`;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await development?.stop();
});

/** Console errors, uncaught exceptions and requests to any other origin, from the page's start. */
function watch(page: Page, origin: string) {
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin) foreign.push(request.url());
  });
  return { errors, foreign };
}

describe('the GraphQL IDE', () => {
  it('in development: GraphiQL from this server runs a query, with no error and nothing from elsewhere', async () => {
    const page = await browser.newPage();
    const seen = watch(page, developmentUrl);
    await page.goto(`${developmentUrl}/graphql`);
    // GraphiQL 3 edits with CodeMirror 5, whose wrapper element carries its editor.
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.waitFor();
    await page.evaluate(() => {
      const wrapper = document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as {
        CodeMirror: { setValue(value: string): void };
      };
      wrapper.CodeMirror.setValue('{ projects(sort: "title", pagination: { pageSize: 3 }) { title kind } }');
    });
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('"projects"').waitFor();
    const answer = await page.evaluate(() => {
      const wrapper = document.querySelector('.result-window .CodeMirror') as unknown as {
        CodeMirror: { getValue(): string };
      };
      return JSON.parse(wrapper.CodeMirror.getValue()) as {
        data: { projects: { title: string; kind: string }[] };
      };
    });
    expect(answer.data.projects).toHaveLength(3);
    // The keys REST uses (src/graphql/enums.ts).
    for (const project of answer.data.projects) expect(project.kind).toMatch(/^[a-z]+(-[a-z]+)*$/);
    await screenshot(page, 'graphql-ide-development');
    expect(seen.errors).toEqual([]);
    expect(seen.foreign).toEqual([]);
    await page.close();
  });

  it('in production: no IDE and no introspection; the schema document is served', async () => {
    const page = await fetch(`${baseUrl()}/graphql`, { headers: { Accept: 'text/html' } });
    expect(await page.text()).not.toContain('graphiql');
    expect((await fetch(`${baseUrl()}/graphql/ide/init.js`)).status).toBe(404);
    const introspection = await fetch(`${baseUrl()}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
    });
    expect(((await introspection.json()) as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
    const schema = await fetch(`${baseUrl()}/graphql/schema.graphql`);
    expect(schema.status).toBe(200);
    expect(schema.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await schema.text()).toMatch(/^type Project \{$/m);
  });
});
