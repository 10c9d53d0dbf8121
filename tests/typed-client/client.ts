/**
 * A typed client of the public API, as a front-end developer writes one: types generated from
 * /api/openapi.json by openapi-typescript into ./generated/api.d.ts (tests/typed-client.test.ts
 * does it), calls made with openapi-fetch, and not one cast. The test compiles this file with
 * `strict` against the generated types, then runs its functions against a real server.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api';

export type Project = components['schemas']['Project'];
export type ListingRow = components['schemas']['ListingRow'];

/**
 * Strapi's query syntax (the `qs` library's): nested objects as `filters[kind][$eq]=youth-house`,
 * lists as `filters[kind][$in][0]=a`. openapi-fetch's own serializer writes one level of a
 * deepObject parameter only (it throws on `filters[kind][$eq]`), hence this one.
 */
export function strapiQuery(query: object): string {
  const pairs: string[] = [];
  const add = (name: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) add(`${name}[${key}]`, child);
      return;
    }
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  };
  for (const [name, value] of Object.entries(query)) add(name, value);
  return pairs.join('&');
}

export const apiClient = (baseUrl: string) => createClient<paths>({ baseUrl, querySerializer: strapiQuery });

export interface ProjectLine {
  documentId: string;
  title: string;
  foundedYear: number;
  closedYear: number | null;
  commune: string | null;
  funders: string[];
}

const line = (project: Project): ProjectLine => ({
  documentId: project.documentId,
  title: project.title,
  foundedYear: project.foundedYear,
  closedYear: project.closedYear,
  // The site and the funders come populated by default: no second request, no cast.
  commune: project.site?.commune ?? null,
  funders: project.funders.map((funder) => funder.slug),
});

/** The projects of one kind founded from a year on, in a locale, with their site and funders. */
export async function projectsOfKind(
  baseUrl: string,
  kind: Project['kind'],
  foundedFrom: number,
  locale: 'fr' | 'de' = 'fr',
): Promise<{ total: number; projects: ProjectLine[] }> {
  const { data, error } = await apiClient(baseUrl).GET('/projects', {
    params: {
      query: {
        locale,
        filters: { kind: { $eq: kind }, foundedYear: { $gte: foundedFrom } },
        populate: { site: true, funders: { fields: ['name', 'slug'] } },
        sort: 'foundedYear:asc',
        'pagination[pageSize]': 100,
      },
    },
  });
  if (error) throw new Error(error.error.message);
  return { total: data.meta.pagination.total, projects: data.data.map(line) };
}

/** The projects at the sites of a commune (a filter through the site relation). */
export async function projectsInCommune(baseUrl: string, commune: string): Promise<ProjectLine[]> {
  const { data, error } = await apiClient(baseUrl).GET('/projects', {
    params: { query: { filters: { site: { commune: { $eq: commune } } } } },
  });
  if (error) throw new Error(error.error.message);
  return data.data.map(line);
}

/** One project by the key partners store; null when it is not (or no longer) published. */
export async function projectByDocumentId(baseUrl: string, documentId: string): Promise<ProjectLine | null> {
  const { data, error, response } = await apiClient(baseUrl).GET('/projects/{documentId}', {
    params: { path: { documentId } },
  });
  if (response.status === 404) return null;
  if (error) throw new Error(error.error.message);
  return line(data.data);
}

/** The listing's rows of a kind (the flat rows partners open in a spreadsheet). */
export async function listingRows(
  baseUrl: string,
  kind: 'youth-house' | 'debt-counselling',
): Promise<ListingRow[]> {
  const { data, error } = await apiClient(baseUrl).GET('/listings/projects', {
    params: { query: { kind, pageSize: 500 } },
  });
  if (error) throw new Error(error.error.message);
  return data.data;
}

/** A wrong query answers the documented error shape, typed too. */
export async function badRequestMessage(baseUrl: string): Promise<string | null> {
  const { error } = await apiClient(baseUrl).GET('/projects', {
    params: { query: { 'pagination[page]': 0 } },
  });
  return error ? error.error.message : null;
}
