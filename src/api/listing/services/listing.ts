/**
 * Flat listings of published projects and services for partners: one row per entry, in one
 * locale (with the locale fallback of src/i18n/fallback.ts), filtered by the query.
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { DEFAULT_LOCALE } from '../../../bootstrap/locales';
import { PROJECT_KINDS, SERVICE_THEMES } from '../../../vocabulary/labels';
import { vocabularyOf } from '../../../vocabulary/terms';

const KINDS = [...Object.keys(PROJECT_KINDS), ...Object.keys(SERVICE_THEMES)] as [string, ...string[]];
const year = z.coerce.number().int().min(1900).max(2100);

export const listingQuery = z.strictObject({
  // Checked against the i18n plugin's locales by the controller (src/i18n/locale-query.ts).
  locale: z.string().default(DEFAULT_LOCALE),
  type: z.enum(['project', 'service']).optional(),
  funder: z
    .string()
    .regex(/^[a-z0-9-]{1,100}$/, 'must be a funder slug')
    .optional(),
  commune: z.string().min(1).max(80).optional(),
  kind: z.enum(KINDS).optional(),
  since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  foundedFrom: year.optional(),
  foundedTo: year.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

export type ListingQuery = z.infer<typeof listingQuery>;

/**
 * A listing row, written once: its TypeScript type, the CSV's columns (in this order) and the
 * OpenAPI schema (src/openapi/document.ts, through src/utils/shapes.ts) all come from it.
 */
export const listingRow = z.object({
  type: z.enum(['project', 'service']),
  documentId: z.string(),
  slug: z.string(),
  title: z.string(),
  locale: z.string(),
  kind: z.enum(KINDS),
  kindLabel: z.string(),
  foundedYear: z.int(),
  site: z.string(),
  commune: z.string(),
  funders: z.array(z.string()),
  updatedAt: z.iso.datetime(),
});

export type ListingRow = z.infer<typeof listingRow>;

/** The columns of a listing row, in the order of the CSV. */
export const LISTING_COLUMNS = Object.keys(listingRow.shape) as (keyof ListingRow)[];

interface Entry {
  documentId: string;
  slug: string;
  locale: string;
  foundedYear: number;
  updatedAt: string;
  funders?: { slug: string }[];
}
interface ProjectEntry extends Entry {
  title: string;
  kind: string;
  site?: { name: string; commune: string } | null;
}
interface ServiceEntry extends Entry {
  name: string;
  theme: string;
}

/** Filters shared by both types: funder, founding years, updated since. */
function commonFilters(query: ListingQuery): Record<string, unknown>[] {
  const filters: Record<string, unknown>[] = [];
  if (query.funder) filters.push({ funders: { slug: { $eq: query.funder } } });
  if (query.foundedFrom !== undefined) filters.push({ foundedYear: { $gte: query.foundedFrom } });
  if (query.foundedTo !== undefined) filters.push({ foundedYear: { $lte: query.foundedTo } });
  if (query.since) filters.push({ updatedAt: { $gt: new Date(query.since).toISOString() } });
  return filters;
}

/** One flat row; services belong to no site, so theirs is empty. */
const row = (
  type: ListingRow['type'],
  entry: Entry,
  title: string,
  kind: string,
  kindLabel: string,
  place: { site: string; commune: string } = { site: '', commune: '' },
): ListingRow => ({
  type,
  documentId: entry.documentId,
  slug: entry.slug,
  title,
  locale: entry.locale,
  kind,
  kindLabel,
  foundedYear: entry.foundedYear,
  ...place,
  funders: (entry.funders ?? []).map((funder) => funder.slug).sort(),
  updatedAt: new Date(entry.updatedAt).toISOString(),
});

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async rows(query: ListingQuery): Promise<ListingRow[]> {
    const { locale } = query;
    const rows: ListingRow[] = [];
    const vocabulary = await vocabularyOf(strapi);

    if (query.type !== 'service' && (!query.kind || query.kind in PROJECT_KINDS)) {
      const filters = commonFilters(query);
      if (query.kind) filters.push({ kind: { $eq: query.kind } });
      if (query.commune) filters.push({ site: { commune: { $eqi: query.commune } } });
      const projects = (await strapi.documents('api::project.project').findMany({
        locale,
        status: 'published',
        filters: { $and: filters },
        fields: ['documentId', 'slug', 'title', 'kind', 'foundedYear', 'updatedAt', 'locale'],
        populate: { site: { fields: ['name', 'commune'] }, funders: { fields: ['slug'] } },
      } as never)) as unknown as ProjectEntry[];
      for (const project of projects) {
        rows.push(
          row(
            'project',
            project,
            project.title,
            project.kind,
            vocabulary.label('projectKinds', project.kind, locale),
            {
              site: project.site?.name ?? '',
              commune: project.site?.commune ?? '',
            },
          ),
        );
      }
    }

    // Services are national: they belong to no site, so a commune filter excludes them.
    if (query.type !== 'project' && !query.commune && (!query.kind || query.kind in SERVICE_THEMES)) {
      const filters = commonFilters(query);
      if (query.kind) filters.push({ theme: { $eq: query.kind } });
      const services = (await strapi.documents('api::service.service').findMany({
        locale,
        status: 'published',
        filters: { $and: filters },
        fields: ['documentId', 'slug', 'name', 'theme', 'foundedYear', 'updatedAt', 'locale'],
        populate: { funders: { fields: ['slug'] } },
      } as never)) as unknown as ServiceEntry[];
      for (const service of services) {
        rows.push(
          row(
            'service',
            service,
            service.name,
            service.theme,
            vocabulary.label('serviceThemes', service.theme, locale),
          ),
        );
      }
    }

    const order = (row: ListingRow) => [row.type, String(row.foundedYear), row.slug].join('\u0000');
    return rows.sort((a, b) => order(a).localeCompare(order(b)));
  },
});
