/**
 * PUBLIC_URL, normalised once: config/server.ts stores it without its trailing slashes (Strapi's
 * own admin redirects join paths to it), and `publicUrlOf` gives it to links only when it is an
 * absolute http(s) URL, '' otherwise (development: links stay relative to the page's origin).
 */
import type { Core } from '@strapi/strapi';

/** `url` without its trailing slashes (a loop: no regular expression to backtrack on a long run). */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end -= 1;
  return url.slice(0, end);
}

/** The public base URL (PUBLIC_URL) without a trailing slash, or '' when it is unset or relative. */
export function publicUrlOf(strapi: Core.Strapi): string {
  const url = strapi.config.get<string>('server.url', '');
  return /^https?:\/\//.test(url) ? withoutTrailingSlashes(url) : '';
}
