// What the history page (history.js) and an entry's page (entry.js) share: the locales, the
// remembered choices (language, text size), the language and text-size buttons, elements with
// text content only, and links to an entry's page. Loaded before either (both `defer`).
'use strict';

window.InterActionsPage = (function () {
  const LOCALES = ['fr', 'de', 'lb', 'en'];
  const DEFAULT_LOCALE = 'fr';
  const SIZES = [0.875, 1, 1.125, 1.25, 1.375, 1.5];
  const NORMAL_SIZE = 1;
  const store = {
    get(key) {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch {
        // Private browsing: the choice lasts for this visit only.
      }
    },
  };

  /** An element with text content only: API data never becomes markup. */
  function element(name, text, attributes) {
    const node = document.createElement(name);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    return node;
  }

  /** The page of one entry (entry.html): a path on this site, built from parameters (never a URL). */
  function entryHref(type, slug, locale) {
    const query = new URLSearchParams({ type });
    if (slug) query.set('slug', slug);
    query.set('locale', locale);
    return `/entry.html?${query}`;
  }

  /** The language the reader chose last time, or French. */
  function savedLocale() {
    const saved = store.get('ia-locale');
    return LOCALES.includes(saved) ? saved : DEFAULT_LOCALE;
  }

  function setSize(index) {
    const bounded = Math.max(0, Math.min(SIZES.length - 1, index));
    document.documentElement.style.setProperty('--text-scale', String(SIZES[bounded]));
    store.set('ia-text-size', String(SIZES[bounded]));
    return bounded;
  }

  /**
   * Applies the remembered text size and wires the buttons: a language button calls
   * `onLocale(locale)`, which decides what to do with it; the text-size buttons step the size.
   */
  function controls(onLocale) {
    const savedSize = SIZES.indexOf(Number(store.get('ia-text-size')));
    let size = setSize(savedSize >= 0 ? savedSize : SIZES.indexOf(NORMAL_SIZE));
    for (const button of document.querySelectorAll('[data-locale]')) {
      button.addEventListener('click', () => onLocale(button.getAttribute('data-locale')));
    }
    for (const button of document.querySelectorAll('[data-size]')) {
      button.addEventListener('click', () => {
        const step = Number(button.getAttribute('data-size'));
        size = setSize(step === 0 ? SIZES.indexOf(NORMAL_SIZE) : size + step);
      });
    }
  }

  return Object.freeze({ LOCALES, DEFAULT_LOCALE, store, element, entryHref, savedLocale, controls });
})();
