/**
 * What staff read next to every field of the admin panel: a French label and a short French help
 * text (where the field shows), plus the label in German and English for staff whose admin language
 * is one of those. Keyed by content-type or component uid, then by field name.
 *
 * Strapi's content-manager configuration holds one label and one help text per field, whatever the
 * admin language: those are the French ones. German and English labels reach the panel as admin
 * translations (src/admin/app.tsx); help texts stay French (Strapi has no per-language help text).
 *
 * Every field of every schema must be named here: tests/admin-views.test.ts fails otherwise, so a
 * field added later gets its label in the same change.
 */

export interface FieldText {
  /** Label in French (the panel's default language). */
  label: string;
  /** Help text in French, under the field in the edit view. */
  help: string;
  /** Label in German, for staff whose admin language is German. */
  de?: string;
  /** Label in English, for staff whose admin language is English. */
  en?: string;
}

/** Fields that several types may have (the same text wherever they appear). */
const INFERRED: FieldText = {
  label: 'Déduit (non dit par la page)',
  help: "Ce que la page d'historique de l'association ne dit pas et que nous avons déduit (lien, catégorie...). Note interne, à vérifier avant de s'y fier.",
  de: 'Abgeleitet (nicht auf der Seite)',
  en: 'Inferred (not stated by the page)',
};

const SLUG_HELP =
  'Identifiant dans les adresses web (ex. /projets/<identifiant>), généré depuis le nom. Ne pas le changer après publication : les liens existants casseraient.';

const SEO: FieldText = {
  label: 'Référencement (SEO)',
  help: 'Titre et description pour les moteurs de recherche et les aperçus de liens. Vide : le nom et le résumé servent.',
  de: 'Suchmaschinen (SEO)',
  en: 'Search engines (SEO)',
};

const CONTACT: FieldText = {
  label: 'Contact',
  help: 'Comment le public joint ce lieu : e-mail, téléphone, adresse, site web. Affiché sur la fiche publique.',
  de: 'Kontakt',
  en: 'Contact',
};

export const FIELD_TEXTS: Record<string, Record<string, FieldText>> = {
  'api::project.project': {
    title: {
      label: 'Titre',
      help: "Nom du projet tel qu'il figure sur la page d'historique et sur sa fiche publique.",
      de: 'Titel',
      en: 'Title',
    },
    slug: { label: 'Identifiant (URL)', help: SLUG_HELP, de: 'Kennung (URL)', en: 'Identifier (URL)' },
    kind: {
      label: 'Type de projet',
      help: "Maison des jeunes, crèche, travail communautaire... Sert aux filtres et à l'étiquette du projet sur la page d'historique.",
      de: 'Projektart',
      en: 'Project kind',
    },
    foundedYear: {
      label: 'Année de fondation',
      help: "Année de fondation, telle qu'elle figure sur la page d'historique (frise chronologique).",
      de: 'Gründungsjahr',
      en: 'Year founded',
    },
    closedYear: {
      label: 'Année de fermeture',
      help: 'Seulement si le projet a pris fin ; pas avant l’année de fondation. Vide : le projet est en cours.',
      de: 'Jahr der Schließung',
      en: 'Year closed',
    },
    summary: {
      label: 'Résumé',
      help: "Deux ou trois phrases, montrées sur la fiche publique de l'entrée et dans les réponses de l'API.",
      de: 'Zusammenfassung',
      en: 'Summary',
    },
    description: {
      label: 'Description',
      help: 'Texte complet de la fiche publique du projet.',
      de: 'Beschreibung',
      en: 'Description',
    },
    partner: {
      label: 'Partenaire',
      help: 'Organisme avec lequel le projet est mené (ex. une commune, une autre asbl), tel que le nomme la page.',
      de: 'Partner',
      en: 'Partner',
    },
    site: {
      label: 'Lieu',
      help: 'Le lieu (quartier, commune) où se déroule le projet. Obligatoire : le projet est classé sous ce lieu.',
      de: 'Standort',
      en: 'Site',
    },
    funders: {
      label: 'Financeurs',
      help: 'Ministères, communes, fondations qui financent ce projet ; listés sur sa fiche publique.',
      de: 'Geldgeber',
      en: 'Funders',
    },
    contact: CONTACT,
    seo: SEO,
    cover: {
      label: 'Image de couverture',
      help: "Photo en tête de la fiche publique et dans les aperçus de liens. Uniquement des images dont l'association a les droits.",
      de: 'Titelbild',
      en: 'Cover image',
    },
    coverAlt: {
      label: 'Texte alternatif de l’image',
      help: 'Ce que montre l’image, en une phrase, pour qui ne la voit pas (lecteur d’écran, image non chargée). Dans chaque langue ; obligatoire pour publier une entrée qui a une image.',
      de: 'Alternativtext des Bildes',
      en: 'Image alternative text',
    },
    inferred: INFERRED,
  },
  'api::service.service': {
    name: {
      label: 'Nom',
      help: "Nom du service tel qu'il figure sur la page d'historique et sur sa fiche publique.",
      de: 'Name',
      en: 'Name',
    },
    slug: { label: 'Identifiant (URL)', help: SLUG_HELP, de: 'Kennung (URL)', en: 'Identifier (URL)' },
    theme: {
      label: 'Thème',
      help: "Initiation au travail, surendettement, logement d'urgence... Sert aux filtres et à l'étiquette du service.",
      de: 'Thema',
      en: 'Theme',
    },
    foundedYear: {
      label: 'Année de fondation',
      help: "Année de création du service, telle qu'elle figure sur la page d'historique.",
      de: 'Gründungsjahr',
      en: 'Year founded',
    },
    formerName: {
      label: 'Ancien nom',
      help: "Nom porté auparavant, s'il a changé ; mentionné sur la fiche publique.",
      de: 'Früherer Name',
      en: 'Former name',
    },
    summary: {
      label: 'Résumé',
      help: "Deux ou trois phrases, montrées sur la fiche publique de l'entrée et dans les réponses de l'API.",
      de: 'Zusammenfassung',
      en: 'Summary',
    },
    description: {
      label: 'Description',
      help: 'Texte complet de la fiche publique du service.',
      de: 'Beschreibung',
      en: 'Description',
    },
    funders: {
      label: 'Financeurs',
      help: 'Ministères, Union européenne, fondations qui financent ce service ; listés sur sa fiche publique.',
      de: 'Geldgeber',
      en: 'Funders',
    },
    enterprises: {
      label: "Entreprises d'insertion",
      help: 'Les entreprises sociales liées à ce service (ex. où travaillent les personnes accompagnées).',
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
      help: "Nom de l'entreprise tel qu'il figure sur la page d'historique (le même dans toutes les langues).",
      de: 'Name',
      en: 'Name',
    },
    slug: { label: 'Identifiant (URL)', help: SLUG_HELP, de: 'Kennung (URL)', en: 'Identifier (URL)' },
    legalForm: {
      label: 'Forme juridique',
      help: 'Ex. « société coopérative », « SIS » ; affichée sur la fiche publique.',
      de: 'Rechtsform',
      en: 'Legal form',
    },
    foundedYear: {
      label: 'Année de fondation',
      help: "Année de création de l'entreprise, telle qu'elle figure sur la page d'historique.",
      de: 'Gründungsjahr',
      en: 'Year founded',
    },
    sectors: {
      label: "Secteurs d'activité",
      help: 'Un élément par secteur (ex. nettoyage, jardinage), dans la langue de cette version.',
      de: 'Tätigkeitsbereiche',
      en: 'Sectors',
    },
    employeesApprox: {
      label: 'Salariés (environ)',
      help: "Nombre approximatif de salariés, tel que l'indique la page ; vide s'il n'est pas connu.",
      de: 'Beschäftigte (ca.)',
      en: 'Employees (approx.)',
    },
    socialPurposeShare: {
      label: 'Part des emplois à finalité sociale',
      help: 'Entre 0 et 1 : 0,5 quand la moitié des emplois ont une finalité sociale, comme chez Polygone.',
      de: 'Anteil der Arbeitsplätze mit sozialem Zweck',
      en: 'Share of social-purpose jobs',
    },
    summary: {
      label: 'Résumé',
      help: "Deux ou trois phrases, montrées sur la fiche publique de l'entrée et dans les réponses de l'API.",
      de: 'Zusammenfassung',
      en: 'Summary',
    },
    description: {
      label: 'Description',
      help: "Texte complet de la fiche publique de l'entreprise.",
      de: 'Beschreibung',
      en: 'Description',
    },
    website: {
      label: 'Site web',
      help: "Adresse complète du site de l'entreprise, commençant par https://.",
      de: 'Website',
      en: 'Website',
    },
    services: {
      label: 'Services liés',
      help: "Les services de l'association liés à cette entreprise (le lien se modifie aussi depuis le service).",
      de: 'Verbundene Dienste',
      en: 'Related services',
    },
    seo: SEO,
    inferred: INFERRED,
  },
  'api::site.site': {
    name: {
      label: 'Nom',
      help: "Nom du lieu tel qu'il figure sur la page d'historique (ex. « Luxembourg-Ville – Gare »).",
      de: 'Name',
      en: 'Name',
    },
    slug: { label: 'Identifiant (URL)', help: SLUG_HELP, de: 'Kennung (URL)', en: 'Identifier (URL)' },
    commune: {
      label: 'Commune',
      help: 'Nom officiel de la commune (le même dans toutes les langues) ; sert au filtre par commune.',
      de: 'Gemeinde',
      en: 'Municipality',
    },
    quarter: {
      label: 'Quartier',
      help: "Quartier dans la commune, s'il y en a un (ex. « Petite Italie » : un nom propre, gardé tel quel).",
      de: 'Viertel',
      en: 'Quarter',
    },
    description: {
      label: 'Description',
      help: "Quelques phrases sur le lieu, affichées avec ses projets sur la page d'historique.",
      de: 'Beschreibung',
      en: 'Description',
    },
    location: {
      label: 'Coordonnées GPS',
      help: 'Latitude et longitude du lieu, pour la carte. Facultatif.',
      de: 'GPS-Koordinaten',
      en: 'GPS coordinates',
    },
    projects: {
      label: 'Projets sur ce lieu',
      help: "Les projets menés ici ; on choisit d'ordinaire le lieu depuis le projet.",
      de: 'Projekte an diesem Standort',
      en: 'Projects at this site',
    },
    inferred: INFERRED,
  },
  'api::funder.funder': {
    name: {
      label: 'Nom',
      help: 'Nom officiel du financeur dans la langue de cette version ; listé sur les fiches des projets et services financés.',
      de: 'Name',
      en: 'Name',
    },
    slug: { label: 'Identifiant (URL)', help: SLUG_HELP, de: 'Kennung (URL)', en: 'Identifier (URL)' },
    kind: {
      label: 'Type de financeur',
      help: 'Ministère, Union européenne, fondation, commune, établissement public... Sert aux filtres.',
      de: 'Art des Geldgebers',
      en: 'Funder kind',
    },
    website: {
      label: 'Site web',
      help: 'Adresse complète du site du financeur, commençant par https://.',
      de: 'Website',
      en: 'Website',
    },
    projects: {
      label: 'Projets financés',
      help: 'Les projets que ce financeur soutient (le lien se modifie aussi depuis le projet).',
      de: 'Geförderte Projekte',
      en: 'Funded projects',
    },
    services: {
      label: 'Services financés',
      help: 'Les services que ce financeur soutient (le lien se modifie aussi depuis le service).',
      de: 'Geförderte Dienste',
      en: 'Funded services',
    },
    organisations: {
      label: "Financement de l'association",
      help: "Rempli quand ce financeur soutient l'association dans son ensemble (page « Organisation »).",
      de: 'Förderung des Vereins',
      en: 'Funds the association',
    },
    inferred: INFERRED,
  },
  'api::organisation.organisation': {
    name: {
      label: "Nom de l'association",
      help: "Inter-Actions asbl : en tête de la page d'historique.",
      de: 'Name des Vereins',
      en: 'Name of the association',
    },
    legalForm: {
      label: 'Forme juridique',
      help: 'Ex. « asbl » ; affichée avec le nom.',
      de: 'Rechtsform',
      en: 'Legal form',
    },
    foundedYear: {
      label: 'Année de fondation',
      help: "Année de fondation de l'association (1979), début de la frise de la page d'historique.",
      de: 'Gründungsjahr',
      en: 'Year founded',
    },
    mission: {
      label: 'Mission',
      help: "Ce que fait l'association, en quelques phrases ; premier paragraphe de la page d'historique.",
      de: 'Auftrag',
      en: 'Mission',
    },
    independence: {
      label: 'Indépendance',
      help: "Le paragraphe sur l'indépendance politique et confessionnelle de l'association.",
      de: 'Unabhängigkeit',
      en: 'Independence',
    },
    history: {
      label: 'Historique',
      help: "Le texte d'histoire de l'association, sur la page d'historique.",
      de: 'Geschichte',
      en: 'History',
    },
    neighbourhoodIntro: {
      label: 'Introduction : travail de quartier',
      help: "Le paragraphe qui ouvre la partie « projets de quartier » de la page d'historique.",
      de: 'Einleitung: Stadtteilarbeit',
      en: 'Introduction: neighbourhood work',
    },
    socialIntro: {
      label: 'Introduction : services sociaux',
      help: "Le paragraphe qui ouvre la partie « services sociaux » de la page d'historique.",
      de: 'Einleitung: Sozialdienste',
      en: 'Introduction: social services',
    },
    funders: {
      label: 'Financeurs',
      help: "Les financeurs de l'association dans son ensemble, listés sur la page d'historique.",
      de: 'Geldgeber',
      en: 'Funders',
    },
    seo: SEO,
    inferred: INFERRED,
  },
  'api::term.term': {
    label: {
      label: 'Libellé',
      help: "Le mot affiché au public pour cette clé, dans la langue de cette version (listes, filtres, page d'historique). Visible à la requête suivante.",
      de: 'Bezeichnung',
      en: 'Label',
    },
    group: {
      label: 'Liste',
      help: 'Types de projet, thèmes de service ou types de financeur. Fixé par le code : ne pas changer.',
      de: 'Liste',
      en: 'List',
    },
    key: {
      label: 'Clé',
      help: "Identifiant stable utilisé par l'API et les filtres (ex. youth-house). Fixé par le code : ne pas changer.",
      de: 'Schlüssel',
      en: 'Key',
    },
  },
  'api::webhook-subscription.webhook-subscription': {
    name: {
      label: 'Partenaire',
      help: 'Nom du partenaire (ministère, administration) qui reçoit les notifications.',
      de: 'Partner',
      en: 'Partner',
    },
    url: {
      label: 'Adresse de réception (URL)',
      help: 'Adresse HTTPS du partenaire qui reçoit les changements (POST signé). Les adresses internes ou privées sont refusées.',
      de: 'Empfangsadresse (URL)',
      en: 'Receiving URL',
    },
    events: {
      label: 'Événements',
      help: 'Types et actions envoyés, en JSON, ex. {"project": ["published", "unpublished", "deleted"]}. Types : project, service, enterprise, site, funder, organisation. Vide : tous les changements.',
      de: 'Ereignisse',
      en: 'Events',
    },
    active: {
      label: 'Actif',
      help: "Désactivé : rien n'est envoyé ; les changements attendent et partent à la réactivation. Désactivé automatiquement après plus de 24 h d'échecs.",
      de: 'Aktiv',
      en: 'Active',
    },
    resendFrom: {
      label: 'Renvoyer à partir du changement n°',
      help: "Pour renvoyer des notifications : le n° de changement du journal des envois à partir duquel tout est renvoyé. Le champ se vide à l'enregistrement.",
      de: 'Erneut senden ab Änderung Nr.',
      en: 'Resend from change no.',
    },
  },
  'api::webhook-delivery.webhook-delivery': {
    partner: { label: 'Partenaire', help: "Le partenaire de l'abonnement.", de: 'Partner', en: 'Partner' },
    subscription: {
      label: 'Abonnement',
      help: "Identifiant (documentId) de l'abonnement.",
      de: 'Abonnement',
      en: 'Subscription',
    },
    eventId: {
      label: "Identifiant de l'événement",
      help: 'Envoyé dans X-Inter-Actions-Event-Id : le partenaire ignore un événement déjà reçu.',
      de: 'Ereignis-ID',
      en: 'Event id',
    },
    changeId: {
      label: 'N° de changement',
      help: "Ordre du changement dans le flux ; à reporter dans « Renvoyer à partir du changement n° » de l'abonnement pour renvoyer.",
      de: 'Änderung Nr.',
      en: 'Change no.',
    },
    change: {
      label: 'Changement',
      help: 'Type, documentId, langue et action du changement envoyé.',
      de: 'Änderung',
      en: 'Change',
    },
    outcome: {
      label: 'État',
      help: 'delivered : reçu ; retrying : nouvel essai prévu ; rejected : refusé par le partenaire (4xx), pas de nouvel essai ; abandoned : échecs pendant plus de 24 h.',
      de: 'Status',
      en: 'Status',
    },
    attempts: { label: 'Essais', help: "Nombre d'envois tentés.", de: 'Versuche', en: 'Attempts' },
    responseStatus: {
      label: 'Réponse HTTP',
      help: 'Code HTTP de la dernière réponse du partenaire (vide : pas de réponse).',
      de: 'HTTP-Antwort',
      en: 'HTTP response',
    },
    lastError: {
      label: 'Dernière erreur',
      help: 'Ce qui a fait échouer le dernier essai (délai dépassé, connexion refusée, réponse du partenaire).',
      de: 'Letzter Fehler',
      en: 'Last error',
    },
    lastAttemptAt: {
      label: 'Dernier essai',
      help: 'Date et heure du dernier envoi tenté.',
      de: 'Letzter Versuch',
      en: 'Last attempt',
    },
    deliveredAt: {
      label: 'Reçu le',
      help: 'Date et heure où le partenaire a accepté la notification (réponse 2xx).',
      de: 'Zugestellt am',
      en: 'Delivered at',
    },
  },
  'shared.contact': {
    email: {
      label: 'E-mail',
      help: 'Adresse publique (pas une adresse personnelle) ; affichée sur la fiche publique.',
      de: 'E-Mail',
      en: 'E-mail',
    },
    phone: {
      label: 'Téléphone',
      help: 'Numéro avec indicatif, ex. +352 12 34 56.',
      de: 'Telefon',
      en: 'Phone',
    },
    address: {
      label: 'Adresse postale',
      help: 'Rue, numéro, code postal et localité, sur plusieurs lignes si besoin.',
      de: 'Postanschrift',
      en: 'Postal address',
    },
    website: {
      label: 'Site web',
      help: 'Adresse complète, commençant par https://.',
      de: 'Website',
      en: 'Website',
    },
  },
  'shared.location': {
    latitude: {
      label: 'Latitude',
      help: 'En degrés décimaux (WGS 84), ex. 49.6116 pour Luxembourg-Ville.',
      de: 'Breitengrad',
      en: 'Latitude',
    },
    longitude: {
      label: 'Longitude',
      help: 'En degrés décimaux (WGS 84), ex. 6.1319 pour Luxembourg-Ville.',
      de: 'Längengrad',
      en: 'Longitude',
    },
  },
  'shared.sector': {
    name: {
      label: 'Secteur',
      help: "Un secteur d'activité, dans la langue de cette version (ex. « Nettoyage »).",
      de: 'Bereich',
      en: 'Sector',
    },
  },
  'shared.seo': {
    metaTitle: {
      label: 'Titre pour les moteurs de recherche',
      help: "Titre de l'onglet et des résultats de recherche (70 caractères au plus). Vide : le nom sert.",
      de: 'Titel für Suchmaschinen',
      en: 'Search engine title',
    },
    metaDescription: {
      label: 'Description pour les moteurs de recherche',
      help: 'Phrase sous le titre dans les résultats et les aperçus de liens (160 caractères au plus).',
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
  Enterprise: { fr: "Entreprises d'insertion", de: 'Sozialunternehmen', en: 'Social enterprises' },
  Site: { fr: 'Lieux', de: 'Standorte', en: 'Sites' },
  Funder: { fr: 'Financeurs', de: 'Geldgeber', en: 'Funders' },
  Organisation: { fr: 'Organisation', de: 'Verein', en: 'Organisation' },
  'Vocabulary term': { fr: 'Vocabulaire', de: 'Vokabular', en: 'Vocabulary' },
  'Webhook subscription': { fr: 'Webhooks partenaires', de: 'Partner-Webhooks', en: 'Partner webhooks' },
  'Webhook delivery': { fr: 'Journal des webhooks', de: 'Webhook-Protokoll', en: 'Webhook log' },
};
