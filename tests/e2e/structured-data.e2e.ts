/**
 * schema.org JSON-LD of the public pages (public/structured-data.js), in Chromium: the history
 * page and the entry pages embed it, and it says what the seed says: the association as an `NGO`
 * with its founding date and funders, each project (`Project`) with its founding date and its
 * `Place` (address locality: the site's commune), each service with its founding date. The pages
 * fill it under their Content-Security-Policy with no console error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { APP_DIR } from '../support/server-process';
import { baseUrl, launchBrowser } from './support/browser';

type Localized = Record<string, string>;
const seed = <T>(name: string): T =>
  JSON.parse(readFileSync(path.join(APP_DIR, 'database', 'seed', `${name}.json`), 'utf8'));
const organisation = seed<{ name: string; legalForm: string; foundedYear: number; funders: string[] }>(
  'organisation',
);
const projects =
  seed<{ slug: string; title: Localized; foundedYear: number; site: string; funders?: string[] }[]>(
    'projects',
  );
const services =
  seed<{ slug: string; name: Localized; foundedYear: number; funders?: string[] }[]>('services');
const sites = seed<{ slug: string; name: Localized; commune: string }[]>('sites');
const funders = seed<{ slug: string; name: Localized }[]>('funders');
const funderName = (slug: string) => funders.find((funder) => funder.slug === slug)!.name.fr;

type Node = Record<string, unknown> & { '@type': string };

let browser: Browser;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(() => {
  errors = [];
});

/** The page's JSON-LD, parsed, once the page has filled it. */
async function jsonLd(url: string): Promise<Record<string, unknown>> {
  await page.goto(`${baseUrl()}${url}`);
  const element = page.locator('script[type="application/ld+json"]#structured-data');
  await element.waitFor({ state: 'attached' });
  expect(await page.locator('script[type="application/ld+json"]').count()).toBe(1);
  return JSON.parse((await element.textContent()) ?? '');
}

const sorted = (values: unknown[]) => [...values].map(String).sort();

function expectOrganisation(node: Node) {
  expect(node).toMatchObject({
    '@type': 'NGO',
    name: organisation.name,
    legalName: `${organisation.name} ${organisation.legalForm}`,
    foundingDate: String(organisation.foundedYear),
  });
  const funderNodes = node.funder as Node[];
  for (const funder of funderNodes) expect(funder['@type']).toBe('Organization');
  expect(sorted(funderNodes.map((funder) => funder.name))).toEqual(
    sorted(organisation.funders.map(funderName)),
  );
}

function expectProject(node: Node | undefined, project: (typeof projects)[number]) {
  const site = sites.find((candidate) => candidate.slug === project.site)!;
  expect({ project: project.slug, node }).toMatchObject({
    project: project.slug,
    node: {
      '@type': 'Project',
      name: project.title.fr,
      foundingDate: String(project.foundedYear),
      location: {
        '@type': 'Place',
        name: site.name.fr,
        address: { '@type': 'PostalAddress', addressLocality: site.commune },
      },
    },
  });
}

describe('schema.org JSON-LD', () => {
  it('the history page: the NGO, every seeded project with its place and every service, with their founding dates', async () => {
    const data = await jsonLd('/');
    await page.locator('#places article').first().waitFor();
    expect(data['@context']).toBe('https://schema.org');
    const graph = data['@graph'] as Node[];
    const ngo = graph.filter((node) => node['@type'] === 'NGO');
    expect(ngo).toHaveLength(1);
    expectOrganisation(ngo[0]);
    for (const project of projects)
      expectProject(
        graph.find((node) => node['@type'] === 'Project' && node.name === project.title.fr),
        project,
      );
    for (const service of services) {
      const node = graph.find((candidate) => candidate.name === service.name.fr);
      expect({ service: service.slug, node }).toMatchObject({
        service: service.slug,
        node: { '@type': 'Organization', foundingDate: String(service.foundedYear) },
      });
    }
    // Every unit is the association's, and has a page.
    for (const node of graph.filter((candidate) => candidate['@type'] !== 'NGO')) {
      expect(node.parentOrganization).toEqual({ '@id': ngo[0]['@id'] });
      expect(String(node.url)).toMatch(
        new RegExp(`^${baseUrl()}/entry\\.html\\?type=(project|service)&slug=`),
      );
    }
    expect(errors).toEqual([]);
  });

  it('an entry page: the project with its place, founding date and funders', async () => {
    const project = projects.find((candidate) => (candidate.funders ?? []).length > 0)!;
    const data = (await jsonLd(`/entry.html?type=project&slug=${project.slug}&locale=fr`)) as Node;
    expect(data['@context']).toBe('https://schema.org');
    expectProject(data, project);
    expect(sorted((data.funder as Node[]).map((funder) => funder.name))).toEqual(
      sorted((project.funders ?? []).map(funderName)),
    );
    expect(errors).toEqual([]);
  });

  it("a service's page and the association's page", async () => {
    const service = services[0];
    const serviceData = (await jsonLd(`/entry.html?type=service&slug=${service.slug}&locale=fr`)) as Node;
    expect(serviceData).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Organization',
      name: service.name.fr,
      foundingDate: String(service.foundedYear),
    });
    const organisationData = (await jsonLd('/entry.html?type=organisation&locale=fr')) as Node;
    expect(organisationData['@context']).toBe('https://schema.org');
    expectOrganisation(organisationData);
    expect(errors).toEqual([]);
  });
});
