/**
 * What staff read next to every field of the admin panel: a French label and a short French help
 * text (where the field shows), plus the label in German and English for staff whose admin language
 * is one of those. Keyed by content-type or component uid, then by field name.
 *
 * Strapi's content-manager configuration holds one label and one help text per field, whatever the
 * admin language: those are the French ones. German and English labels reach the panel as admin
 * translations (src/admin/app.tsx); German and English help texts reach it in the configuration the
 * edit view reads, rewritten for a German or English admin user (src/middlewares/help-language.ts).
 *
 * Every field of every schema must be named here: tests/admin-views.test.ts fails otherwise, so a
 * field added later gets its label in the same change.
 */

export interface FieldText {
  /** Label in French (the panel's default language). */
  label: string;
  /** Help text in French, under the field in the edit view. */
  help: string;
  /** The help text in German and in English, for staff whose admin language is one of those. */
  helpDe?: string;
  helpEn?: string;
  /** Label in German, for staff whose admin language is German. */
  de?: string;
  /** Label in English, for staff whose admin language is English. */
  en?: string;
}

/** Fields that several types may have (the same text wherever they appear). */
const INFERRED: FieldText = {
  label: 'Déduit (non dit par la page)',
  help: 'Ce que la page d’historique de l’association ne dit pas et que nous avons déduit (lien, catégorie…). Note interne, à vérifier avant de s’y fier.',
  helpDe:
    'Was die Geschichtsseite der Vereinigung nicht ausdrücklich sagt und wir daraus abgeleitet haben (Verknüpfung, Kategorie …). Interne Notiz; vor der Verwendung bitte prüfen.',
  helpEn:
    'What the association’s history page does not say and we have inferred (a link, a category…). Internal note: check it before relying on it.',
  de: 'Abgeleitet (nicht auf der Seite)',
  en: 'Inferred (not stated by the page)',
};

/** The identifier in web addresses: an entry's public page is /entry.html?type=…&slug=… (public/entry.js). */
const SLUG: FieldText = {
  label: 'Identifiant (URL)',
  help: 'Identifiant dans les adresses web (ex. /entry.html?type=project&slug=<identifiant> pour un projet), généré depuis le nom. Ne pas le changer après publication : les liens existants casseraient.',
  helpDe:
    'Kennung in den Webadressen (z. B. /entry.html?type=project&slug=<Kennung> bei einem Projekt), wird aus dem Namen erzeugt. Nach der Veröffentlichung nicht mehr ändern: Bestehende Links würden sonst ins Leere führen.',
  helpEn:
    'Identifier used in web addresses (e.g. /entry.html?type=project&slug=<identifier> for a project), generated from the name. Do not change it once published: existing links would break.',
  de: 'Kennung (URL)',
  en: 'Identifier (URL)',
};

const SEO: FieldText = {
  label: 'Référencement (SEO)',
  help: 'Titre et description pour les moteurs de recherche et les aperçus de liens. Vide : le nom et le résumé servent.',
  helpDe:
    'Titel und Beschreibung für Suchmaschinen und Linkvorschauen. Bleibt das Feld leer, werden Name und Zusammenfassung verwendet.',
  helpEn:
    'Title and description for search engines and link previews. If left empty, the name and summary are used.',
  de: 'Suchmaschinen (SEO)',
  en: 'Search engines (SEO)',
};

const CONTACT: FieldText = {
  label: 'Contact',
  help: 'Comment le public joint ce projet ou ce service : e-mail, téléphone, adresse, site web. Affiché sur la fiche publique.',
  helpDe:
    'Wie die Öffentlichkeit dieses Projekt oder diesen Dienst erreicht: E-Mail, Telefon, Anschrift, Website. Wird auf der öffentlichen Seite angezeigt.',
  helpEn:
    'How the public can reach this project or service: e-mail, phone, address, website. Shown on the public page.',
  de: 'Kontakt',
  en: 'Contact',
};

export const FIELD_TEXTS: Record<string, Record<string, FieldText>> = {
  'api::project.project': {
    title: {
      label: 'Titre',
      help: 'Nom du projet tel qu’il figure sur la page d’historique et sur sa fiche publique.',
      helpDe: 'Name des Projekts, wie er auf der Geschichtsseite und auf seiner öffentlichen Seite steht.',
      helpEn: 'Name of the project as it appears on the history page and on its public page.',
      de: 'Titel',
      en: 'Title',
    },
    slug: SLUG,
    kind: {
      label: 'Type de projet',
      help: 'Maison des jeunes, foyer de jour, travail communautaire… Sert aux filtres et à l’étiquette du projet sur la page d’historique.',
      helpDe:
        'Jugendhaus, Kindertagesstätte, Gemeinwesenarbeit … Dient zum Filtern und erscheint als Angabe neben dem Projekt auf der Geschichtsseite.',
      helpEn:
        'Youth centre, day-care centre, community work… Used for the filters and as the project’s tag on the history page.',
      de: 'Projektart',
      en: 'Project kind',
    },
    foundedYear: {
      label: 'Année de fondation',
      help: 'Année de fondation, telle qu’elle figure sur la page d’historique (frise chronologique).',
      helpDe: 'Gründungsjahr, wie es auf der Geschichtsseite (Zeitleiste) angegeben ist.',
      helpEn: 'Year founded, as given on the history page (timeline).',
      de: 'Gründungsjahr',
      en: 'Year founded',
    },
    closedYear: {
      label: 'Année de fermeture',
      help: 'Seulement si le projet a pris fin ; pas avant l’année de fondation. Vide : le projet est en cours.',
      helpDe: 'Nur wenn das Projekt beendet ist; nicht vor dem Gründungsjahr. Leer: Das Projekt läuft noch.',
      helpEn:
        'Only if the project has ended; not before the year founded. Empty: the project is still running.',
      de: 'Jahr der Schließung',
      en: 'Year closed',
    },
    summary: {
      label: 'Résumé',
      help: 'Deux ou trois phrases, montrées sur la fiche publique de l’entrée et dans les réponses de l’API.',
      helpDe:
        'Zwei oder drei Sätze, angezeigt auf der öffentlichen Seite des Eintrags und in den Antworten der API.',
      helpEn: 'Two or three sentences, shown on the entry’s public page and in API responses.',
      de: 'Zusammenfassung',
      en: 'Summary',
    },
    description: {
      label: 'Description',
      help: 'Texte complet de la fiche publique du projet.',
      helpDe: 'Vollständiger Text der öffentlichen Seite des Projekts.',
      helpEn: 'Full text of the project’s public page.',
      de: 'Beschreibung',
      en: 'Description',
    },
    partner: {
      label: 'Partenaire',
      help: 'Organisme avec lequel le projet est mené, tel que le nomme la page (ex. « collaboration université » pour la maison relais Babbeltiermchen).',
      helpDe:
        'Einrichtung, mit der das Projekt durchgeführt wird, so wie die Seite sie nennt (z. B. „Zusammenarbeit mit der Universität“ bei der Maison Relais Babbeltiermchen).',
      helpEn:
        'Organisation the project is run with, as the page names it (e.g. ‘in collaboration with the university’ for the Babbeltiermchen after-school care centre).',
      de: 'Partner',
      en: 'Partner',
    },
    site: {
      label: 'Lieu',
      help: 'Le lieu (quartier, commune) où se déroule le projet. Obligatoire : le projet est classé sous ce lieu.',
      helpDe:
        'Der Standort (Stadtteil, Gemeinde), an dem das Projekt stattfindet. Pflichtfeld: Das Projekt wird unter diesem Standort aufgeführt.',
      helpEn:
        'The site (neighbourhood, municipality) where the project takes place. Required: the project is listed under this site.',
      de: 'Standort',
      en: 'Site',
    },
    funders: {
      label: 'Financeurs',
      help: 'Ministères, communes, fondations qui financent ce projet ; listés sur sa fiche publique.',
      helpDe:
        'Ministerien, Gemeinden und Stiftungen, die dieses Projekt finanzieren; auf seiner öffentlichen Seite aufgeführt.',
      helpEn: 'Ministries, municipalities and foundations that fund this project; listed on its public page.',
      de: 'Geldgeber',
      en: 'Funders',
    },
    contact: CONTACT,
    seo: SEO,
    cover: {
      label: 'Image de couverture',
      help: 'Photo en tête de la fiche publique et dans les aperçus de liens. Uniquement des images dont l’association a les droits.',
      helpDe:
        'Foto oben auf der öffentlichen Seite und in Linkvorschauen. Nur Bilder verwenden, an denen die Vereinigung die Rechte hat.',
      helpEn:
        'Photo at the top of the public page and in link previews. Only images the association holds the rights to.',
      de: 'Titelbild',
      en: 'Cover image',
    },
    coverAlt: {
      label: 'Texte alternatif de l’image',
      help: 'Ce que montre l’image, en une phrase, pour qui ne la voit pas (lecteur d’écran, image non chargée). Dans chaque langue ; obligatoire pour publier une entrée qui a une image.',
      helpDe:
        'Was das Bild zeigt, in einem Satz, für alle, die es nicht sehen (Screenreader, Bild nicht geladen). In jeder Sprache; Pflicht, um einen Eintrag mit Bild zu veröffentlichen.',
      helpEn:
        'What the image shows, in one sentence, for anyone who cannot see it (screen reader, image not loaded). In each language; required to publish an entry that has an image.',
      de: 'Alternativtext des Bildes',
      en: 'Image alternative text',
    },
    inferred: INFERRED,
  },
  'api::service.service': {
    name: {
      label: 'Nom',
      help: 'Nom du service tel qu’il figure sur la page d’historique et sur sa fiche publique.',
      helpDe: 'Name des Dienstes, wie er auf der Geschichtsseite und auf seiner öffentlichen Seite steht.',
      helpEn: 'Name of the service as it appears on the history page and on its public page.',
      de: 'Name',
      en: 'Name',
    },
    slug: SLUG,
    theme: {
      label: 'Thème',
      help: 'Initiation au travail, conseil en matière de surendettement, hébergement d’urgence… Sert aux filtres et à l’étiquette du service.',
      helpDe:
        'Einführung in die Arbeitswelt, Schuldnerberatung, Notunterkunft … Dient zum Filtern und erscheint als Angabe beim Dienst.',
      helpEn:
        'Introduction to work, debt counselling, emergency housing… Used for the filters and as the service’s tag.',
      de: 'Thema',
      en: 'Theme',
    },
    foundedYear: {
      label: 'Année de fondation',
      help: 'Année de création du service, telle qu’elle figure sur la page d’historique.',
      helpDe: 'Gründungsjahr des Dienstes, wie es auf der Geschichtsseite angegeben ist.',
      helpEn: 'Year the service was set up, as given on the history page.',
      de: 'Gründungsjahr',
      en: 'Year founded',
    },
    formerName: {
      label: 'Ancien nom',
      help: 'Nom porté auparavant, s’il a changé (ex. « CSP » pour ACT) ; mentionné sur la fiche publique.',
      helpDe:
        'Früherer Name, falls er sich geändert hat (z. B. „CSP“ bei ACT); wird auf der öffentlichen Seite genannt.',
      helpEn: 'The name used before, if it has changed (e.g. ‘CSP’ for ACT); mentioned on the public page.',
      de: 'Früherer Name',
      en: 'Former name',
    },
    summary: {
      label: 'Résumé',
      help: 'Deux ou trois phrases, montrées sur la fiche publique de l’entrée et dans les réponses de l’API.',
      helpDe:
        'Zwei oder drei Sätze, angezeigt auf der öffentlichen Seite des Eintrags und in den Antworten der API.',
      helpEn: 'Two or three sentences, shown on the entry’s public page and in API responses.',
      de: 'Zusammenfassung',
      en: 'Summary',
    },
    description: {
      label: 'Description',
      help: 'Texte complet de la fiche publique du service.',
      helpDe: 'Vollständiger Text der öffentlichen Seite des Dienstes.',
      helpEn: 'Full text of the service’s public page.',
      de: 'Beschreibung',
      en: 'Description',
    },
    funders: {
      label: 'Financeurs',
      help: 'Ministères, Union européenne, fondations qui financent ce service ; listés sur sa fiche publique.',
      helpDe:
        'Ministerien, Europäische Union und Stiftungen, die diesen Dienst finanzieren; auf seiner öffentlichen Seite aufgeführt.',
      helpEn:
        'Ministries, the European Union and foundations that fund this service; listed on its public page.',
      de: 'Geldgeber',
      en: 'Funders',
    },
    enterprises: {
      label: 'Entreprises d’insertion',
      help: 'Les entreprises sociales liées à ce service (ex. où travaillent les personnes accompagnées).',
      helpDe:
        'Die mit diesem Dienst verbundenen Sozialunternehmen (z. B. dort, wo die begleiteten Personen arbeiten).',
      helpEn: 'The social enterprises linked to this service (e.g. where the people it supports work).',
      de: 'Sozialunternehmen',
      en: 'Social enterprises',
    },
    contact: CONTACT,
    seo: SEO,
    inferred: INFERRED,
  },
  'api::enterprise.enterprise': {
    name: {
      label: 'Nom',
      help: 'Nom de l’entreprise tel qu’il figure sur la page d’historique (le même dans toutes les langues).',
      helpDe: 'Name des Unternehmens, wie er auf der Geschichtsseite steht (in allen Sprachen gleich).',
      helpEn: 'Name of the enterprise as it appears on the history page (the same in every language).',
      de: 'Name',
      en: 'Name',
    },
    slug: SLUG,
    legalForm: {
      label: 'Forme juridique',
      help: 'Ex. « s.à r.l. », comme pour Polygone et Ecotec ; affichée sur la fiche publique.',
      helpDe: 'Z. B. „s.à r.l.“ wie bei Polygone und Ecotec; wird auf der öffentlichen Seite angezeigt.',
      helpEn: 'E.g. ‘s.à r.l.’, as for Polygone and Ecotec; shown on the public page.',
      de: 'Rechtsform',
      en: 'Legal form',
    },
    foundedYear: {
      label: 'Année de fondation',
      help: 'Année de création de l’entreprise, telle qu’elle figure sur la page d’historique.',
      helpDe: 'Gründungsjahr des Unternehmens, wie es auf der Geschichtsseite angegeben ist.',
      helpEn: 'Year the enterprise was set up, as given on the history page.',
      de: 'Gründungsjahr',
      en: 'Year founded',
    },
    sectors: {
      label: 'Secteurs d’activité',
      help: 'Un élément par secteur (ex. démolition immobilière, entretien des espaces verts), dans la langue de cette version.',
      helpDe:
        'Ein Eintrag pro Bereich (z. B. Gebäudeabbruch, Grünflächenpflege), in der Sprache dieser Fassung.',
      helpEn:
        'One item per sector (e.g. building demolition, green-space maintenance), in the language of this version.',
      de: 'Tätigkeitsbereiche',
      en: 'Sectors',
    },
    employeesApprox: {
      label: 'Salariés (environ)',
      help: 'Nombre approximatif de salariés, tel que l’indique la page ; vide s’il n’est pas connu.',
      helpDe:
        'Ungefähre Zahl der Beschäftigten, wie auf der Seite angegeben; leer lassen, wenn sie nicht bekannt ist.',
      helpEn: 'Approximate number of employees, as given on the page; leave empty if not known.',
      de: 'Beschäftigte (ca.)',
      en: 'Employees (approx.)',
    },
    socialPurposeShare: {
      label: 'Part des emplois à finalité sociale',
      help: 'Part des emplois qui ont une finalité sociale, entre 0 et 1 : 0,5 quand la moitié des emplois ont une finalité sociale, comme chez Polygone.',
      helpDe:
        'Anteil der Arbeitsplätze mit sozialem Zweck, zwischen 0 und 1: 0,5, wenn die Hälfte der Arbeitsplätze einen sozialen Zweck hat, wie bei Polygone.',
      helpEn:
        'Share of jobs with a social purpose, between 0 and 1: 0.5 when half of the jobs have a social purpose, as at Polygone.',
      de: 'Anteil der Arbeitsplätze mit sozialem Zweck',
      en: 'Share of jobs with a social purpose',
    },
    summary: {
      label: 'Résumé',
      help: 'Deux ou trois phrases, montrées sur la fiche publique de l’entrée et dans les réponses de l’API.',
      helpDe:
        'Zwei oder drei Sätze, angezeigt auf der öffentlichen Seite des Eintrags und in den Antworten der API.',
      helpEn: 'Two or three sentences, shown on the entry’s public page and in API responses.',
      de: 'Zusammenfassung',
      en: 'Summary',
    },
    description: {
      label: 'Description',
      help: 'Texte complet de la fiche publique de l’entreprise.',
      helpDe: 'Vollständiger Text der öffentlichen Seite des Unternehmens.',
      helpEn: 'Full text of the enterprise’s public page.',
      de: 'Beschreibung',
      en: 'Description',
    },
    website: {
      label: 'Site web',
      help: 'Adresse complète du site de l’entreprise, commençant par https://.',
      helpDe: 'Vollständige Adresse der Website des Unternehmens, beginnend mit https://.',
      helpEn: 'Full address of the enterprise’s website, starting with https://.',
      de: 'Website',
      en: 'Website',
    },
    services: {
      label: 'Services liés',
      help: 'Les services de l’association liés à cette entreprise (le lien se modifie aussi depuis le service).',
      helpDe:
        'Die mit diesem Unternehmen verbundenen Dienste der Vereinigung (die Verknüpfung lässt sich auch beim Dienst ändern).',
      helpEn:
        'The association’s services linked to this enterprise (the link can also be changed from the service).',
      de: 'Verbundene Dienste',
      en: 'Related services',
    },
    seo: SEO,
    inferred: INFERRED,
  },
  'api::site.site': {
    name: {
      label: 'Nom',
      help: 'Nom du lieu tel qu’il figure sur la page d’historique (ex. « Luxembourg – Gare et Bonnevoie »).',
      helpDe:
        'Name des Standorts, wie er auf der Geschichtsseite steht (z. B. „Luxemburg – Bahnhofsviertel und Bonneweg“).',
      helpEn: 'Name of the site as it appears on the history page (e.g. ‘Luxembourg – Gare and Bonnevoie’).',
      de: 'Name',
      en: 'Name',
    },
    slug: SLUG,
    commune: {
      label: 'Commune',
      help: 'Nom officiel de la commune (le même dans toutes les langues) ; sert au filtre par commune.',
      helpDe: 'Amtlicher Name der Gemeinde (in allen Sprachen gleich); dient zum Filtern nach Gemeinde.',
      helpEn:
        'Official name of the municipality (the same in every language); used by the municipality filter.',
      de: 'Gemeinde',
      en: 'Municipality',
    },
    quarter: {
      label: 'Quartier',
      help: 'Quartier dans la commune, s’il y en a un (ex. « Petite Italie » : un nom propre, gardé tel quel).',
      helpDe:
        'Stadtteil innerhalb der Gemeinde, falls vorhanden (z. B. „Petite Italie“: ein Eigenname, der unverändert bleibt).',
      helpEn:
        'Neighbourhood within the municipality, if there is one (e.g. ‘Petite Italie’: a proper name, kept as it is).',
      de: 'Stadtteil',
      en: 'Neighbourhood',
    },
    description: {
      label: 'Description',
      help: 'Quelques phrases sur le lieu, fournies avec lui par l’API et le jeu de données des lieux (la page d’historique n’en montre que le nom).',
      helpDe:
        'Einige Sätze zum Standort, die mit ihm über die API und den Datensatz der Standorte bereitgestellt werden (die Geschichtsseite zeigt nur seinen Namen).',
      helpEn:
        'A few sentences about the site, provided with it by the API and the sites dataset (the history page shows only its name).',
      de: 'Beschreibung',
      en: 'Description',
    },
    location: {
      label: 'Coordonnées GPS',
      help: 'Latitude et longitude du lieu, fournies avec lui par l’API et le jeu de données des lieux. Facultatif.',
      helpDe:
        'Breiten- und Längengrad des Standorts, die mit ihm über die API und den Datensatz der Standorte bereitgestellt werden. Optional.',
      helpEn:
        'Latitude and longitude of the site, provided with it by the API and the sites dataset. Optional.',
      de: 'GPS-Koordinaten',
      en: 'GPS coordinates',
    },
    projects: {
      label: 'Projets sur ce lieu',
      help: 'Les projets menés ici ; on choisit d’ordinaire le lieu depuis le projet.',
      helpDe: 'Die Projekte an diesem Standort; in der Regel wird der Standort beim Projekt ausgewählt.',
      helpEn: 'The projects run here; the site is usually chosen from the project.',
      de: 'Projekte an diesem Standort',
      en: 'Projects at this site',
    },
    inferred: INFERRED,
  },
  'api::funder.funder': {
    name: {
      label: 'Nom',
      help: 'Nom officiel du financeur dans la langue de cette version ; listé sur les fiches des projets et services financés.',
      helpDe:
        'Amtlicher Name des Geldgebers in der Sprache dieser Fassung; auf den Seiten der geförderten Projekte und Dienste aufgeführt.',
      helpEn:
        'Official name of the funder in the language of this version; listed on the pages of the projects and services it funds.',
      de: 'Name',
      en: 'Name',
    },
    slug: SLUG,
    kind: {
      label: 'Type de financeur',
      help: 'Ministère, Union européenne, fondation, commune, établissement public… Sert aux filtres.',
      helpDe:
        'Ministerium, Europäische Union, Stiftung, Gemeinde, öffentliche Einrichtung … Dient zum Filtern.',
      helpEn: 'Ministry, European Union, foundation, municipality, public body… Used for the filters.',
      de: 'Art des Geldgebers',
      en: 'Funder kind',
    },
    website: {
      label: 'Site web',
      help: 'Adresse complète du site du financeur, commençant par https://.',
      helpDe: 'Vollständige Adresse der Website des Geldgebers, beginnend mit https://.',
      helpEn: 'Full address of the funder’s website, starting with https://.',
      de: 'Website',
      en: 'Website',
    },
    projects: {
      label: 'Projets financés',
      help: 'Les projets que ce financeur soutient (le lien se modifie aussi depuis le projet).',
      helpDe:
        'Die Projekte, die dieser Geldgeber fördert (die Verknüpfung lässt sich auch beim Projekt ändern).',
      helpEn: 'The projects this funder supports (the link can also be changed from the project).',
      de: 'Geförderte Projekte',
      en: 'Funded projects',
    },
    services: {
      label: 'Services financés',
      help: 'Les services que ce financeur soutient (le lien se modifie aussi depuis le service).',
      helpDe:
        'Die Dienste, die dieser Geldgeber fördert (die Verknüpfung lässt sich auch beim Dienst ändern).',
      helpEn: 'The services this funder supports (the link can also be changed from the service).',
      de: 'Geförderte Dienste',
      en: 'Funded services',
    },
    organisations: {
      label: 'Financement de l’association',
      help: 'Rempli quand ce financeur soutient l’association dans son ensemble (page « Organisation »).',
      helpDe: 'Ausgefüllt, wenn dieser Geldgeber die Vereinigung als Ganzes fördert (Seite „Vereinigung“).',
      helpEn: 'Filled in when this funder supports the association as a whole (‘Organisation’ page).',
      de: 'Förderung der Vereinigung',
      en: 'Funds the association',
    },
    inferred: INFERRED,
  },
  'api::organisation.organisation': {
    name: {
      label: 'Nom de l’association',
      help: 'Le nom seul, « Inter-Actions » : la forme juridique a son propre champ. Les deux s’affichent en tête de la page d’historique.',
      helpDe:
        'Nur der Name, „Inter-Actions“: Die Rechtsform hat ein eigenes Feld. Beide erscheinen oben auf der Geschichtsseite.',
      helpEn:
        'The name alone, ‘Inter-Actions’: the legal form has its own field. Both appear at the top of the history page.',
      de: 'Name der Vereinigung',
      en: 'Name of the association',
    },
    legalForm: {
      label: 'Forme juridique',
      help: 'Ex. « asbl » ; affichée avec le nom.',
      helpDe: 'Z. B. „asbl“; wird zusammen mit dem Namen angezeigt.',
      helpEn: 'E.g. ‘asbl’; shown with the name.',
      de: 'Rechtsform',
      en: 'Legal form',
    },
    foundedYear: {
      label: 'Année de fondation',
      help: 'Année de fondation de l’association (1979), début de la frise de la page d’historique.',
      helpDe: 'Gründungsjahr der Vereinigung (1979), Beginn der Zeitleiste auf der Geschichtsseite.',
      helpEn: 'Year the association was founded (1979), where the timeline on the history page begins.',
      de: 'Gründungsjahr',
      en: 'Year founded',
    },
    mission: {
      label: 'Mission',
      help: 'Ce que fait l’association, en quelques phrases ; premier paragraphe de la page d’historique.',
      helpDe: 'Was die Vereinigung tut, in wenigen Sätzen; erster Absatz der Geschichtsseite.',
      helpEn: 'What the association does, in a few sentences; the first paragraph of the history page.',
      de: 'Auftrag',
      en: 'Mission',
    },
    independence: {
      label: 'Indépendance',
      help: 'Le paragraphe sur l’indépendance politique et confessionnelle de l’association.',
      helpDe: 'Der Absatz über die politische und konfessionelle Unabhängigkeit der Vereinigung.',
      helpEn: 'The paragraph on the association’s political and religious independence.',
      de: 'Unabhängigkeit',
      en: 'Independence',
    },
    history: {
      label: 'Historique',
      help: 'Le texte d’histoire de l’association, sur la page d’historique.',
      helpDe: 'Der Text zur Geschichte der Vereinigung auf der Geschichtsseite.',
      helpEn: 'The text on the association’s history, shown on the history page.',
      de: 'Geschichte',
      en: 'History',
    },
    neighbourhoodIntro: {
      label: 'Introduction : projets de quartier',
      help: 'Le paragraphe qui ouvre la partie « projets de quartier » de la page d’historique.',
      helpDe: 'Der Absatz, mit dem auf der Geschichtsseite der Teil über die Stadtteilprojekte beginnt.',
      helpEn: 'The paragraph that opens the ‘Neighbourhood projects’ part of the history page.',
      de: 'Einleitung: Stadtteilprojekte',
      en: 'Introduction: neighbourhood projects',
    },
    socialIntro: {
      label: 'Introduction : projets sociaux',
      help: 'Le paragraphe qui ouvre la partie « projets sociaux » de la page d’historique.',
      helpDe: 'Der Absatz, mit dem auf der Geschichtsseite der Teil über die Sozialprojekte beginnt.',
      helpEn: 'The paragraph that opens the ‘Social projects’ part of the history page.',
      de: 'Einleitung: Sozialprojekte',
      en: 'Introduction: social projects',
    },
    funders: {
      label: 'Financeurs',
      help: 'Les financeurs de l’association dans son ensemble, listés sur la page d’historique.',
      helpDe: 'Die Geldgeber der Vereinigung als Ganzes, auf der Geschichtsseite aufgeführt.',
      helpEn: 'The funders of the association as a whole, listed on the history page.',
      de: 'Geldgeber',
      en: 'Funders',
    },
    seo: SEO,
    inferred: INFERRED,
  },
  'api::term.term': {
    label: {
      label: 'Libellé',
      help: 'Le mot affiché au public pour cette clé, dans la langue de cette version (listes, filtres, page d’historique). Visible à la requête suivante.',
      helpDe:
        'Das Wort, das die Öffentlichkeit für diesen Schlüssel sieht, in der Sprache dieser Fassung (Listen, Filter, Geschichtsseite). Ab der nächsten Anfrage sichtbar.',
      helpEn:
        'The word the public sees for this key, in the language of this version (lists, filters, history page). Visible from the next request.',
      de: 'Bezeichnung',
      en: 'Label',
    },
    group: {
      label: 'Liste',
      help: 'Types de projet, thèmes de service ou types de financeur. Fixé par le code : ne pas changer.',
      helpDe:
        'Projektarten, Themen der Dienste oder Arten von Geldgebern. Vom Code festgelegt: bitte nicht ändern.',
      helpEn: 'Project kinds, service themes or funder kinds. Set by the code: do not change.',
      de: 'Liste',
      en: 'List',
    },
    key: {
      label: 'Clé',
      help: 'Identifiant stable utilisé par l’API et les filtres (ex. youth-house). Fixé par le code : ne pas changer.',
      helpDe:
        'Feste Kennung, die von der API und den Filtern verwendet wird (z. B. youth-house). Vom Code festgelegt: bitte nicht ändern.',
      helpEn:
        'Stable identifier used by the API and the filters (e.g. youth-house). Set by the code: do not change.',
      de: 'Schlüssel',
      en: 'Key',
    },
  },
  'api::webhook-subscription.webhook-subscription': {
    name: {
      label: 'Partenaire',
      help: 'Nom du partenaire (ministère, administration) qui reçoit les notifications.',
      helpDe: 'Name des Partners (Ministerium, Verwaltung), der die Benachrichtigungen erhält.',
      helpEn: 'Name of the partner (ministry, administration) that receives the notifications.',
      de: 'Partner',
      en: 'Partner',
    },
    url: {
      label: 'Adresse de réception (URL)',
      help: 'Adresse HTTPS du partenaire qui reçoit les changements (POST signé). Les adresses internes ou privées sont refusées.',
      helpDe:
        'HTTPS-Adresse des Partners, an die die Änderungen gesendet werden (signierter POST). Interne oder private Adressen werden abgelehnt.',
      helpEn:
        'The partner’s HTTPS address that receives the changes (signed POST). Internal or private addresses are refused.',
      de: 'Empfangsadresse (URL)',
      en: 'Receiving URL',
    },
    events: {
      label: 'Événements',
      help: 'Types et actions envoyés, en JSON, ex. {"project": ["published", "unpublished", "deleted"]}. Types : project, service, enterprise, site, funder, organisation. Vide : tous les changements.',
      helpDe:
        'Zu sendende Typen und Aktionen als JSON, z. B. {"project": ["published", "unpublished", "deleted"]}. Typen: project, service, enterprise, site, funder, organisation. Leer: alle Änderungen.',
      helpEn:
        'Types and actions to send, as JSON, e.g. {"project": ["published", "unpublished", "deleted"]}. Types: project, service, enterprise, site, funder, organisation. Empty: every change.',
      de: 'Ereignisse',
      en: 'Events',
    },
    active: {
      label: 'Actif',
      help: 'Désactivé : rien n’est envoyé ; les changements attendent et partent à la réactivation. Désactivé automatiquement après plus de 24 h d’échecs.',
      helpDe:
        'Deaktiviert: Es wird nichts gesendet; die Änderungen warten und gehen bei der Reaktivierung hinaus. Wird nach mehr als 24 Stunden mit Fehlschlägen automatisch deaktiviert.',
      helpEn:
        'Off: nothing is sent; changes wait and go out when it is switched back on. Switched off automatically after more than 24 hours of failures.',
      de: 'Aktiv',
      en: 'Active',
    },
    resendFrom: {
      label: 'Renvoyer à partir du changement n°',
      help: 'Pour renvoyer des notifications : le n° de changement du journal des envois à partir duquel tout est renvoyé. Le champ se vide à l’enregistrement.',
      helpDe:
        'Zum erneuten Senden von Benachrichtigungen: die Änderungsnummer aus dem Webhook-Protokoll, ab der alles erneut gesendet wird. Das Feld wird beim Speichern geleert.',
      helpEn:
        'To resend notifications: the change number in the webhook log from which everything is sent again. The field is cleared on saving.',
      de: 'Erneut senden ab Änderung Nr.',
      en: 'Resend from change no.',
    },
  },
  'api::webhook-delivery.webhook-delivery': {
    partner: {
      label: 'Partenaire',
      help: 'Le partenaire de l’abonnement.',
      helpDe: 'Der Partner, zu dem das Abonnement gehört.',
      helpEn: 'The partner the subscription belongs to.',
      de: 'Partner',
      en: 'Partner',
    },
    subscription: {
      label: 'Abonnement',
      help: 'Identifiant (documentId) de l’abonnement.',
      helpDe: 'Kennung (documentId) des Abonnements.',
      helpEn: 'Identifier (documentId) of the subscription.',
      de: 'Abonnement',
      en: 'Subscription',
    },
    eventId: {
      label: 'Identifiant de l’événement',
      help: 'Envoyé dans X-Inter-Actions-Event-Id : le partenaire ignore un événement déjà reçu.',
      helpDe:
        'Wird im Header X-Inter-Actions-Event-Id mitgesendet: Der Partner ignoriert ein bereits erhaltenes Ereignis.',
      helpEn:
        'Sent in X-Inter-Actions-Event-Id, so that the partner ignores an event it has already received.',
      de: 'Ereignis-ID',
      en: 'Event id',
    },
    changeId: {
      label: 'N° de changement',
      help: 'Ordre du changement dans le flux ; à reporter dans « Renvoyer à partir du changement n° » de l’abonnement pour renvoyer.',
      helpDe:
        'Position der Änderung im Datenstrom; zum erneuten Senden beim Abonnement unter „Erneut senden ab Änderung Nr.“ eintragen.',
      helpEn:
        'Position of the change in the feed; to resend, enter it in the subscription’s ‘Resend from change no.’ field.',
      de: 'Änderung Nr.',
      en: 'Change no.',
    },
    change: {
      label: 'Changement',
      help: 'Type, documentId, langue et action du changement envoyé.',
      helpDe: 'Typ, documentId, Sprache und Aktion der gesendeten Änderung.',
      helpEn: 'Type, documentId, language and action of the change sent.',
      de: 'Änderung',
      en: 'Change',
    },
    outcome: {
      label: 'État',
      help: 'delivered : reçu ; retrying : nouvel essai prévu ; rejected : refusé par le partenaire (4xx), pas de nouvel essai ; abandoned : échecs pendant plus de 24 h.',
      helpDe:
        'delivered: zugestellt; retrying: neuer Versuch geplant; rejected: vom Partner abgelehnt (4xx), kein neuer Versuch; abandoned: mehr als 24 Stunden lang fehlgeschlagen.',
      helpEn:
        'delivered: received; retrying: another attempt is scheduled; rejected: refused by the partner (4xx), no further attempt; abandoned: failures for more than 24 hours.',
      de: 'Status',
      en: 'Status',
    },
    attempts: {
      label: 'Essais',
      help: 'Nombre d’envois tentés.',
      helpDe: 'Anzahl der Zustellversuche.',
      helpEn: 'Number of delivery attempts.',
      de: 'Versuche',
      en: 'Attempts',
    },
    responseStatus: {
      label: 'Réponse HTTP',
      help: 'Code HTTP de la dernière réponse du partenaire (vide : pas de réponse).',
      helpDe: 'HTTP-Statuscode der letzten Antwort des Partners (leer: keine Antwort).',
      helpEn: 'HTTP status code of the partner’s last response (empty: no response).',
      de: 'HTTP-Antwort',
      en: 'HTTP response',
    },
    lastError: {
      label: 'Dernière erreur',
      help: 'Ce qui a fait échouer le dernier essai (délai dépassé, connexion refusée, réponse du partenaire).',
      helpDe:
        'Woran der letzte Versuch gescheitert ist (Zeitüberschreitung, Verbindung abgelehnt, Antwort des Partners).',
      helpEn: 'What made the last attempt fail (timeout, connection refused, the partner’s response).',
      de: 'Letzter Fehler',
      en: 'Last error',
    },
    lastAttemptAt: {
      label: 'Dernier essai',
      help: 'Date et heure du dernier envoi tenté.',
      helpDe: 'Datum und Uhrzeit des letzten Zustellversuchs.',
      helpEn: 'Date and time of the last delivery attempt.',
      de: 'Letzter Versuch',
      en: 'Last attempt',
    },
    deliveredAt: {
      label: 'Reçu le',
      help: 'Date et heure où le partenaire a accepté la notification (réponse 2xx).',
      helpDe: 'Datum und Uhrzeit, zu der der Partner die Benachrichtigung angenommen hat (Antwort 2xx).',
      helpEn: 'Date and time the partner accepted the notification (2xx response).',
      de: 'Zugestellt am',
      en: 'Delivered at',
    },
  },
  'shared.contact': {
    email: {
      label: 'E-mail',
      help: 'Adresse publique (pas une adresse personnelle) ; affichée sur la fiche publique.',
      helpDe: 'Öffentliche Adresse (keine persönliche); wird auf der öffentlichen Seite angezeigt.',
      helpEn: 'A public address (not a personal one); shown on the public page.',
      de: 'E-Mail',
      en: 'E-mail',
    },
    phone: {
      label: 'Téléphone',
      help: 'Numéro avec indicatif, ex. +352 12 34 56.',
      helpDe: 'Nummer mit Landesvorwahl, z. B. +352 12 34 56.',
      helpEn: 'Number with the country code, e.g. +352 12 34 56.',
      de: 'Telefon',
      en: 'Phone',
    },
    address: {
      label: 'Adresse postale',
      help: 'Rue, numéro, code postal et localité, sur plusieurs lignes si besoin.',
      helpDe: 'Straße, Hausnummer, Postleitzahl und Ort, bei Bedarf auf mehreren Zeilen.',
      helpEn: 'Street, number, postcode and town, over several lines if needed.',
      de: 'Postanschrift',
      en: 'Postal address',
    },
    website: {
      label: 'Site web',
      help: 'Adresse complète, commençant par https://.',
      helpDe: 'Vollständige Adresse, beginnend mit https://.',
      helpEn: 'Full address, starting with https://.',
      de: 'Website',
      en: 'Website',
    },
  },
  'shared.location': {
    latitude: {
      label: 'Latitude',
      help: 'En degrés décimaux (WGS 84), ex. 49.6116 pour Luxembourg-Ville.',
      helpDe: 'In Dezimalgrad (WGS 84), z. B. 49.6116 für Luxemburg-Stadt.',
      helpEn: 'In decimal degrees (WGS 84), e.g. 49.6116 for Luxembourg City.',
      de: 'Breitengrad',
      en: 'Latitude',
    },
    longitude: {
      label: 'Longitude',
      help: 'En degrés décimaux (WGS 84), ex. 6.1319 pour Luxembourg-Ville.',
      helpDe: 'In Dezimalgrad (WGS 84), z. B. 6.1319 für Luxemburg-Stadt.',
      helpEn: 'In decimal degrees (WGS 84), e.g. 6.1319 for Luxembourg City.',
      de: 'Längengrad',
      en: 'Longitude',
    },
  },
  'shared.sector': {
    name: {
      label: 'Secteur',
      help: 'Un secteur d’activité, dans la langue de cette version (ex. « Démolition immobilière »).',
      helpDe: 'Ein Tätigkeitsbereich, in der Sprache dieser Fassung (z. B. „Gebäudeabbruch“).',
      helpEn: 'One sector of activity, in the language of this version (e.g. ‘Building demolition’).',
      de: 'Bereich',
      en: 'Sector',
    },
  },
  'shared.seo': {
    metaTitle: {
      label: 'Titre pour les moteurs de recherche',
      help: 'Titre de l’onglet et des résultats de recherche (70 caractères au plus). Vide : le nom sert.',
      helpDe:
        'Titel im Browser-Tab und in den Suchergebnissen (höchstens 70 Zeichen). Leer: Der Name wird verwendet.',
      helpEn:
        'Title in the browser tab and in search results (70 characters at most). Empty: the name is used.',
      de: 'Titel für Suchmaschinen',
      en: 'Search engine title',
    },
    metaDescription: {
      label: 'Description pour les moteurs de recherche',
      help: 'Phrase sous le titre dans les résultats et les aperçus de liens (160 caractères au plus).',
      helpDe: 'Satz unter dem Titel in den Suchergebnissen und Linkvorschauen (höchstens 160 Zeichen).',
      helpEn: 'Sentence under the title in search results and link previews (160 characters at most).',
      de: 'Beschreibung für Suchmaschinen',
      en: 'Search engine description',
    },
  },
};

/**
 * Fields that a type's table may name before the schema has them (the same text is shared by the
 * types that get it): not an error when absent from a schema.
 */
export const OPTIONAL_FIELDS = ['inferred'];

/** Display names of the types in the panel's menu and headers, per admin language. */
export const TYPE_NAMES: Record<string, { fr: string; de: string; en: string }> = {
  Project: { fr: 'Projets', de: 'Projekte', en: 'Projects' },
  Service: { fr: 'Services', de: 'Dienste', en: 'Services' },
  Enterprise: { fr: 'Entreprises d’insertion', de: 'Sozialunternehmen', en: 'Social enterprises' },
  Site: { fr: 'Lieux', de: 'Standorte', en: 'Sites' },
  Funder: { fr: 'Financeurs', de: 'Geldgeber', en: 'Funders' },
  Organisation: { fr: 'Organisation', de: 'Vereinigung', en: 'Organisation' },
  'Vocabulary term': { fr: 'Vocabulaire', de: 'Vokabular', en: 'Vocabulary' },
  'Webhook subscription': { fr: 'Webhooks partenaires', de: 'Partner-Webhooks', en: 'Partner webhooks' },
  'Webhook delivery': { fr: 'Journal des webhooks', de: 'Webhook-Protokoll', en: 'Webhook log' },
};
