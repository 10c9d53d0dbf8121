/**
 * The locales named in the panel's language: « Français », « Allemand », « Luxembourgeois »,
 * « Anglais » in the French panel (« Französisch »… in German), not the stored "French (fr)", in
 * the locale picker, the list's « Disponible en » column and the settings. A Redux middleware of
 * the admin (`app.addMiddlewares`, a public API of Strapi's admin) renames them in the answer to
 * GET /i18n/locales as the store receives it; the names stored on the server are unchanged.
 */
type Action = {
  type?: string;
  payload?: unknown;
  meta?: { arg?: { endpointName?: string } };
};
type Locale = { code?: string; name?: string };

const panelLanguage = () => window.localStorage.getItem('strapi-admin-language') ?? 'fr';

/** « Luxembourgeois »: the language's name in `language`, capitalized (French writes it lower). */
export function localeName(code: string, language: string): string | undefined {
  try {
    const name = new Intl.DisplayNames([language], { type: 'language' }).of(code);
    return name && name !== code ? name.charAt(0).toLocaleUpperCase(language) + name.slice(1) : undefined;
  } catch {
    return undefined;
  }
}

const isLocalesAnswer = (action: Action) =>
  typeof action.type === 'string' &&
  action.type.endsWith('/executeQuery/fulfilled') &&
  action.meta?.arg?.endpointName === 'getLocales' &&
  Array.isArray(action.payload);

/** The middleware, as `addMiddlewares` takes it: a factory of a Redux middleware (store → next → action). */
export const localeNames = () => () => (next: (action: unknown) => unknown) => (action: Action) => {
  if (!isLocalesAnswer(action)) return next(action);
  const language = panelLanguage();
  return next({
    ...action,
    payload: (action.payload as Locale[]).map((locale) => ({
      ...locale,
      name: (locale.code && localeName(locale.code, language)) ?? locale.name,
    })),
  });
};

const DEFAULT_MARKS: Record<string, string> = { fr: '(par défaut)', de: '(Standard)' };

/**
 * The list's « Disponible en » column writes the default locale as "Français (default)": Strapi's
 * i18n appends the English word itself, without a message id. Text nodes holding it are given the
 * panel's word as they appear (« Français (par défaut) »); in English the text stays.
 */
export function localizeDefaultMarker(): void {
  const fix = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const mark = DEFAULT_MARKS[panelLanguage()];
      if (mark && node.nodeValue?.includes('(default)'))
        node.nodeValue = node.nodeValue.replaceAll('(default)', mark);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) fix(text);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'characterData') fix(record.target);
      record.addedNodes.forEach(fix);
    }
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
}
