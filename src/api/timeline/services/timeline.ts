/**
 * The history page's data in one read: the organisation's founding and every published project,
 * service and enterprise, ordered by founding year, in one locale (with the locale fallback).
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { DEFAULT_LOCALE } from '../../../bootstrap/locales';
import { vocabularyOf, type Vocabulary } from '../../../vocabulary/terms';

/**
 * The timeline's shape, written once: this service's types come from it, and so do the GraphQL
 * types (src/graphql/timeline.ts) and the OpenAPI schemas (src/openapi/document.ts), through
 * src/utils/shapes.ts. A field added here appears in all three; the service must then fill it.
 */
const TYPE_ORDER = ['organisation', 'project', 'service', 'enterprise'] as const;
const text = z.string().nullable();

const timelineKind = z.object({ key: z.string(), label: z.string() });
const timelineSite = z.object({ slug: z.string(), name: z.string(), commune: z.string() });
const timelineEntry = z.object({
  type: z.enum(TYPE_ORDER),
  documentId: z.string(),
  slug: text,
  title: z.string(),
  locale: z.string(),
  year: z.int(),
  kind: timelineKind.nullable(),
  site: timelineSite.nullable(),
  summary: text,
  partner: text,
  formerName: text,
  legalForm: text,
  sectors: z.array(z.string()).nullable(),
});
const timelineFunder = z.object({ slug: z.string(), name: z.string(), kind: z.string() });
const timelineOrganisation = z.object({
  name: z.string(),
  legalForm: text,
  foundedYear: z.int(),
  mission: text,
  independence: text,
  history: text,
  neighbourhoodIntro: text,
  socialIntro: text,
  funders: z.array(timelineFunder),
});
/** The GraphQL query's answer; REST answers `{ data: entries, meta: { locale, organisation } }`. */
const timeline = z.object({
  locale: z.string(),
  organisation: timelineOrganisation.nullable(),
  entries: z.array(timelineEntry),
});

/** The named shapes, in the order of the GraphQL type definitions. */
export const TIMELINE_SHAPES = {
  TimelineKind: timelineKind,
  TimelineSite: timelineSite,
  TimelineEntry: timelineEntry,
  TimelineFunder: timelineFunder,
  TimelineOrganisation: timelineOrganisation,
  Timeline: timeline,
};

export type TimelineType = (typeof TYPE_ORDER)[number];
export type TimelineEntry = z.infer<typeof timelineEntry>;
export type OrganisationIntro = z.infer<typeof timelineOrganisation>;
export type Timeline = z.infer<typeof timeline>;

type Doc = Record<string, unknown> & { documentId: string; locale: string };

/** Titles in the reader's collation; a code Intl does not know sorts as the default locale. */
function collatorFor(locale: string): Intl.Collator {
  try {
    return new Intl.Collator(locale);
  } catch {
    return new Intl.Collator(DEFAULT_LOCALE);
  }
}

const entry = (
  type: TimelineType,
  doc: Doc,
  title: string,
  extra: Partial<TimelineEntry> = {},
): TimelineEntry => ({
  type,
  documentId: doc.documentId,
  slug: (doc.slug as string | undefined) ?? null,
  title,
  locale: doc.locale,
  year: doc.foundedYear as number,
  kind: null,
  site: null,
  summary: (doc.summary as string | null | undefined) ?? null,
  partner: null,
  formerName: null,
  legalForm: null,
  sectors: null,
  ...extra,
});

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async build(locale: string): Promise<Timeline> {
    const read = { locale, status: 'published' } as const;
    const [vocabulary, organisation, projects, services, enterprises] = (await Promise.all([
      vocabularyOf(strapi),
      strapi.documents('api::organisation.organisation').findFirst({
        ...read,
        populate: { funders: { fields: ['slug', 'name', 'kind'] } },
      } as never),
      strapi.documents('api::project.project').findMany({
        ...read,
        populate: { site: { fields: ['slug', 'name', 'commune'] } },
      } as never),
      strapi.documents('api::service.service').findMany(read as never),
      strapi
        .documents('api::enterprise.enterprise')
        .findMany({ ...read, populate: { sectors: true } } as never),
    ])) as unknown as [Vocabulary, Doc | null, Doc[], Doc[], Doc[]];

    const entries: TimelineEntry[] = [];
    if (organisation) {
      entries.push(
        entry('organisation', organisation, organisation.name as string, {
          legalForm: organisation.legalForm as string,
          summary: (organisation.mission as string | null) ?? null,
        }),
      );
    }
    for (const project of projects) {
      const site = project.site as TimelineEntry['site'];
      entries.push(
        entry('project', project, project.title as string, {
          kind: {
            key: project.kind as string,
            label: vocabulary.label('projectKinds', project.kind as string, locale),
          },
          site: site ? { slug: site.slug, name: site.name, commune: site.commune } : null,
          partner: (project.partner as string | null) ?? null,
        }),
      );
    }
    for (const service of services) {
      entries.push(
        entry('service', service, service.name as string, {
          kind: {
            key: service.theme as string,
            label: vocabulary.label('serviceThemes', service.theme as string, locale),
          },
          formerName: (service.formerName as string | null) ?? null,
        }),
      );
    }
    for (const enterprise of enterprises) {
      entries.push(
        entry('enterprise', enterprise, enterprise.name as string, {
          legalForm: (enterprise.legalForm as string | null) ?? null,
          sectors: ((enterprise.sectors as { name: string }[] | null) ?? []).map((sector) => sector.name),
        }),
      );
    }
    const collator = collatorFor(locale);
    entries.sort(
      (a, b) =>
        a.year - b.year ||
        TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) ||
        collator.compare(a.title, b.title),
    );

    return {
      locale,
      organisation: organisation
        ? {
            name: organisation.name as string,
            legalForm: (organisation.legalForm as string | null) ?? null,
            foundedYear: organisation.foundedYear as number,
            mission: (organisation.mission as string | null) ?? null,
            independence: (organisation.independence as string | null) ?? null,
            history: (organisation.history as string | null) ?? null,
            neighbourhoodIntro: (organisation.neighbourhoodIntro as string | null) ?? null,
            socialIntro: (organisation.socialIntro as string | null) ?? null,
            // Exactly the declared fields: the populate also brings each funder's ids.
            funders: ((organisation.funders as OrganisationIntro['funders'] | null) ?? []).map(
              ({ slug, name, kind }) => ({ slug, name, kind }),
            ),
          }
        : null,
      entries,
    };
  },
});
