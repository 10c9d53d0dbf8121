/**
 * The admin panel of Inter-Actions: in French by default (German and English offered), branded,
 * without Strapi's promotional surfaces. Field labels and help texts come from the content-manager
 * configuration applied at boot (src/admin-views); the German and English labels of fields and
 * types reach the panel here, as admin translations.
 */
import type { StrapiApp } from '@strapi/strapi/admin';
import { Eye, Globe } from '@strapi/icons';
import { FIELD_TEXTS, TYPE_NAMES } from '../admin-views/texts';
import { VOCABULARIES } from '../vocabulary/labels';
import logo from './extensions/logo.svg';
import mark from './extensions/logo-mark.svg';
import { HistoryPanel } from './extensions/history-panel';
import { ReviewPanel } from './extensions/review-panel';
import { SchedulePanel } from './extensions/schedule-panel';
import { StageFilter } from './extensions/stage-filter';
import { TranslationPanel } from './extensions/translation-panel';
import { IntegerInput } from './extensions/year-input';
import { localeNames, localizeDefaultMarker } from './extensions/locale-names';
import { addWorkflowColumns } from './extensions/workflow-columns';
import {
  DELIVERY_OUTCOMES,
  labelEnumerationColumns,
  loadVocabularyLabels,
} from './extensions/vocabulary-labels';
import { WebhookSecret } from './extensions/webhook-secret';

type Language = 'fr' | 'de' | 'en';
const LANGUAGES: Language[] = ['fr', 'de', 'en'];
const DEFAULT_LANGUAGE: Language = 'fr';
const BRAND = 'Inter-Actions';

/** Strapi's own strings that name Strapi where staff should read the association's name. */
const BRANDING: Record<Language, Record<string, string>> = {
  fr: {
    'Auth.form.welcome.title': 'Bienvenue sur Inter-Actions',
    'Auth.form.welcome.subtitle': 'Connectez-vous à votre compte',
    'Auth.form.register.subtitle':
      'Vos identifiants servent uniquement à vous connecter à l’espace d’édition d’Inter-Actions.',
    'app.components.LeftMenu.navbrand.title': BRAND,
    'app.components.LeftMenu.navbrand.workplace': 'Espace d’édition',
    'inter-actions.to-translate.title': 'À traduire',
    'Auth.form.button.login.strapi': 'Se connecter',
    // The profile's language help without its link to Strapi's developer documentation.
    'Settings.profile.form.section.experience.interfaceLanguageHelp':
      'Ces préférences ne s’appliquent qu’à vous.',
    // Strapi 5.54's French lacks the preview's strings.
    'content-manager.preview.panel.title': 'Aperçu',
    'content-manager.preview.panel.button': 'Ouvrir l’aperçu',
    'content-manager.preview.panel.button-configuration': 'Configurer l’aperçu',
    'content-manager.preview.panel.button-disabled-tooltip': 'Enregistrez pour ouvrir l’aperçu',
    'content-manager.preview.page-title': 'Aperçu : {contentType}',
    'content-manager.preview.header.close': 'Fermer l’aperçu',
    'content-manager.preview.copy.label': 'Copier le lien d’aperçu',
    'content-manager.preview.copy.success': 'Lien d’aperçu copié',
    'content-manager.preview.tabs.label': 'État de l’aperçu',
    'content-manager.preview.device.select': 'Type d’appareil',
    'content-manager.preview.device.desktop': 'Ordinateur',
    'content-manager.preview.device.mobile': 'Mobile',
    // The edit view's hints under a field, in French (Strapi 5.54 has them in English only).
    // « au plus 1 000 caractères »: the maximum as a French number (years have a minimum only,
    // left as written: « au moins 1900 »), a no-break space before the unit.
    'content-manager.form.Input.hint.text':
      '{min, select, undefined {} other {au moins {min}}}{divider}{max, select, undefined {} other {au plus {max, number}}}{unit}{br}{description}',
    'content-manager.form.Input.hint.character.unit':
      '{maxValue, plural, one {\u00A0caractère} other {\u00A0caractères}}',
    'content-manager.form.Input.hint.minMaxDivider': ', ',
    // Nor these settings and profile labels.
    'Settings.adminTokens.title': 'Jetons d’administration',
    'global.sessions.active-devices': 'Appareils connectés',
    'email.SettingsNav.section-label': 'E-mail',
    'users-permissions.Settings.section-label': 'Utilisateurs et autorisations (API)',
    // Strapi's own typo (« Paramètre Globaux »), the heading of the settings' first section.
    'Settings.global': 'Paramètres globaux',
    // Nor the home page's widget picker.
    'HomePage.addWidget.title': 'Ajouter un widget',
    'HomePage.addWidget.button': 'Ajouter un widget',
    'HomePage.addWidget.noWidgetsAvailable': 'Aucun widget à ajouter',
  },
  de: {
    'Auth.form.welcome.title': 'Willkommen bei Inter-Actions',
    'Auth.form.welcome.subtitle': 'Melden Sie sich bei Ihrem Konto an',
    'Auth.form.register.subtitle':
      'Ihre Zugangsdaten dienen nur der Anmeldung im Redaktionsbereich von Inter-Actions.',
    'app.components.LeftMenu.navbrand.title': BRAND,
    'app.components.LeftMenu.navbrand.workplace': 'Redaktion',
    'inter-actions.to-translate.title': 'Zu übersetzen',
    'Auth.form.button.login.strapi': 'Anmelden',
    // The profile's language help without its link to Strapi's developer documentation.
    'Settings.profile.form.section.experience.interfaceLanguageHelp':
      'Diese Einstellungen gelten nur für Sie.',
  },
  en: {
    'Auth.form.welcome.title': 'Welcome to Inter-Actions',
    'Auth.form.welcome.subtitle': 'Log in to your account',
    'Auth.form.register.subtitle': "Your credentials only serve to log in to Inter-Actions' editing space.",
    'app.components.LeftMenu.navbrand.title': BRAND,
    'app.components.LeftMenu.navbrand.workplace': 'Editing space',
    'inter-actions.to-translate.title': 'To translate',
    'Auth.form.button.login.strapi': 'Log in',
    // The profile's language help without its link to Strapi's developer documentation.
    'Settings.profile.form.section.experience.interfaceLanguageHelp': 'These preferences apply to you only.',
  },
};

/**
 * Field labels per admin language: the content manager looks labels up by these ids before it falls
 * back to the configured (French) label. Help texts have no such id: they stay French.
 */
function fieldLabels(language: Language): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const [uid, fields] of Object.entries(FIELD_TEXTS)) {
    const prefix = uid.includes('::') ? 'content-manager.content-types' : 'content-manager.components';
    for (const [field, text] of Object.entries(fields)) {
      const label = language === 'fr' ? text.label : text[language];
      if (label) messages[`${prefix}.${uid}.${field}`] = label;
    }
  }
  // The menu and list headers look a type up by its display name.
  for (const [displayName, names] of Object.entries(TYPE_NAMES)) messages[displayName] = names[language];
  return messages;
}

/** Strings Strapi 5.54 lacks in French or German, on the pages staff use. */
const MISSING: Record<Language, Record<string, string>> = {
  fr: {
    'content-manager.plugin.name': 'Gestion du contenu',
    'content-manager.containers.list.table-headers.status': 'Statut',
    'i18n.list-view.table.header.label': 'Disponible en',
    'i18n.CMListView.popover.display-locales.more': '{locales} + {count} autres',
    'search.placeholder': 'Rechercher',
    'components.Blocks.blocks.bulletList': 'Liste à puces',
    'components.Blocks.blocks.numberList': 'Liste numérotée',
  },
  de: {
    'content-manager.plugin.name': 'Inhalts-Manager',
    'content-manager.containers.list.table-headers.status': 'Status',
    'i18n.list-view.table.header.label': 'Verfügbar in',
    'i18n.CMListView.popover.display-locales.more': '{locales} + {count} weitere',
    'search.placeholder': 'Suchen',
    'components.Blocks.blocks.bulletList': 'Aufzählung',
    'components.Blocks.blocks.numberList': 'Nummerierte Liste',
  },
  en: {},
};

/**
 * The options of the kind and theme selects in edit views: Strapi looks an enumeration value up as
 * a message id, so each key gets its label. Admin translations are fixed when the panel is built,
 * so these are the labels of src/vocabulary/labels.ts; list views show the labels staff last saved
 * (./extensions/vocabulary-labels.ts).
 */
function enumerationLabels(language: Language): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const { labels } of Object.values(VOCABULARIES))
    for (const [key, byLocale] of Object.entries(labels)) messages[key] ??= byLocale[language];
  // A webhook delivery's outcome, in its edit view.
  for (const [key, byLanguage] of Object.entries(DELIVERY_OUTCOMES)) messages[key] ??= byLanguage[language];
  return messages;
}

const translations = Object.fromEntries(
  LANGUAGES.map((language) => [
    language,
    { ...MISSING[language], ...enumerationLabels(language), ...BRANDING[language], ...fieldLabels(language) },
  ]),
);

/**
 * What Strapi 5.54 keeps in the browser and offers no setting for: the language before login (the
 * login page; after login, the user's preferred language wins, French for new staff), the guided
 * tour, and the "new Media Library" announcement banner (dismissed per instance).
 */
function browserDefaults(): void {
  const storage = window.localStorage;
  if (!storage.getItem('strapi-admin-language')) storage.setItem('strapi-admin-language', DEFAULT_LANGUAGE);

  let tour: Record<string, unknown> = {};
  try {
    tour = JSON.parse(storage.getItem('STRAPI_GUIDED_TOUR') ?? '{}') ?? {};
  } catch {
    tour = {};
  }
  storage.setItem(
    'STRAPI_GUIDED_TOUR',
    JSON.stringify({ completedActions: [], hidden: false, ...tour, enabled: false }),
  );

  const dismissBanner = (scope: unknown) => {
    for (const legacy of [true, false])
      storage.setItem(`STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_${legacy}:${scope}`, 'true');
  };
  // The scope is the instance's uuid from /admin/init (`false` when the project has none).
  dismissBanner(undefined);
  dismissBanner(false);
  const backend = (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? '';
  fetch(`${backend}/admin/init`)
    .then((response) => (response.ok ? response.json() : null))
    .then((body) => dismissBanner(body?.data?.uuid))
    .catch(() => undefined);
}

/**
 * The registration pages (first administrator, invited staff) without Strapi's newsletter opt-in:
 * Strapi 5.54 has no setting for it, so its field is hidden where it appears: on those pages, the
 * grid item holding the form's only checkbox, beside the password fields. Nothing is sent either way.
 */
function hideNewsletterOptIn(): void {
  const hide = () => {
    if (!/\/auth\/register/.test(window.location.pathname)) return;
    for (const checkbox of document.querySelectorAll<HTMLElement>(
      '[role="checkbox"], input[type="checkbox"]',
    )) {
      let item: HTMLElement | null = checkbox;
      while (item?.parentElement && !item.parentElement.querySelector('[name="confirmPassword"]'))
        item = item.parentElement;
      if (item?.parentElement && item.style.display !== 'none') item.style.display = 'none';
    }
  };
  new MutationObserver(hide).observe(document.documentElement, { childList: true, subtree: true });
}

/** Page titles read "… | Inter-Actions" instead of Strapi's hard-coded "… | Strapi". */
function brandTitles(): void {
  const rename = () => {
    const title = document.title;
    if (title === 'Strapi Admin') document.title = BRAND;
    else if (title.endsWith(' | Strapi'))
      document.title = `${title.slice(0, -' | Strapi'.length)} | ${BRAND}`;
  };
  rename();
  let head = document.querySelector('title');
  if (!head) {
    head = document.createElement('title');
    document.head.appendChild(head);
  }
  new MutationObserver(rename).observe(head, { childList: true, characterData: true, subtree: true });
}

export default {
  config: {
    // English is always there in Strapi; Luxembourgish has no admin translation in Strapi 5.54.
    locales: ['fr', 'de'],
    auth: { logo },
    menu: { logo: mark },
    translations,
    // No tutorials, no "new release" check against GitHub.
    tutorials: false,
    notifications: { releases: false },
  },
  register(app: StrapiApp) {
    browserDefaults();
    brandTitles();
    hideNewsletterOptIn();
    // « Français (par défaut) » in the list's « Disponible en » column, not "(default)".
    localizeDefaultMarker();
    // « Journal d'audit » in Settings > Global (src/audit): shown to who may read admin users, read
    // by super administrators only (the server answers 403 to anyone else).
    app.addSettingsLink('global', {
      id: 'audit-log',
      to: 'audit-log',
      intlLabel: { id: 'inter-actions.audit-log.title', defaultMessage: 'Journal d’audit' },
      permissions: [{ action: 'admin::users.read', subject: null }],
      Component: () => import('./extensions/audit-log-page'),
    });
    // The locales named in the panel's language (« Français », not "French (fr)").
    (app as unknown as { addMiddlewares(middlewares: unknown[]): void }).addMiddlewares([localeNames]);
    // Years as written in the edit form (« 2013 », not « 2 013 » or « 2.013 »).
    app.addFields({ type: 'integer', Component: IntegerInput as never });
    // « À traduire »: per locale, the translations missing or out of date (src/translations).
    app.addMenuLink({
      to: 'a-traduire',
      icon: Globe,
      intlLabel: { id: 'inter-actions.to-translate.title', defaultMessage: 'À traduire' },
      Component: () => import('./extensions/to-translate-page'),
      permissions: [],
    });
    // The home page's « Relecture »: « À relire » for Communication, « Renvoyé » for an author.
    (app as unknown as { widgets: { register(widget: unknown): void } }).widgets.register({
      id: 'review',
      icon: Eye,
      title: { id: 'inter-actions.widget.review.title', defaultMessage: 'Relecture' },
      component: async () => (await import('./extensions/review-widget')).ReviewWidget,
      permissions: [{ action: 'plugin::content-manager.explorer.read' }],
    });
  },
  bootstrap(app: StrapiApp) {
    // Kinds and themes by their labels in list views (the API keeps the keys).
    const backend = (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? '';
    loadVocabularyLabels(backend, LANGUAGES);
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', labelEnumerationColumns);
    // « Relecture » and « Planifié » columns in the list views of the six types (src/review, src/schedules).
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', addWorkflowColumns);
    // Webhook subscriptions: a new signing secret, shown once (src/webhooks/admin-routes.ts).
    const contentManager = app.getPlugin('content-manager') as unknown as {
      injectComponent(
        view: string,
        zone: string,
        component: { name: string; Component: () => unknown },
      ): void;
      apis: { addEditViewSidePanel(panels: unknown[]): void };
    };
    // « Historique »: the versions of the entry in the locale shown, and their restore (src/history).
    // « Relecture »: the entry's review stage and its moves (src/review).
    // « Planifier »: its upcoming schedules, and scheduling a publish or unpublish (src/schedules).
    // « Traduction »: in German, Luxembourgish or English, the French text beside the form, what
    // changed since the translation, « Marquer comme vérifiée » (src/translations).
    contentManager.apis.addEditViewSidePanel([ReviewPanel, SchedulePanel, TranslationPanel, HistoryPanel]);
    // « Relecture » filter beside the list views' locale picker (src/review).
    contentManager.injectComponent('listView', 'actions', {
      name: 'review-stage-filter',
      Component: StageFilter,
    });
    contentManager.injectComponent('editView', 'right-links', {
      name: 'webhook-secret',
      Component: WebhookSecret,
    });
  },
};
