/**
 * The files the media library takes, by type and extension: images and PDF. One table for the
 * upload plugin's allow list (config/plugins.ts), the check of every stored file
 * (./strapi-server.ts) and how /uploads serves them: images inline, anything else as a download
 * (`Content-Disposition: attachment`), files stored before this list included.
 */
import path from 'node:path';
import type { ServerResponse } from 'node:http';

interface AllowedType {
  mime: string;
  extensions: string[];
  /** Shown in the browser at its address; otherwise downloaded. */
  inline: boolean;
}

const ALLOWED: AllowedType[] = [
  { mime: 'image/png', extensions: ['.png'], inline: true },
  { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg', '.jpe'], inline: true },
  { mime: 'image/webp', extensions: ['.webp'], inline: true },
  { mime: 'image/gif', extensions: ['.gif'], inline: true },
  { mime: 'image/avif', extensions: ['.avif'], inline: true },
  { mime: 'application/pdf', extensions: ['.pdf'], inline: false },
];

export const ALLOWED_MIME_TYPES = ALLOWED.map((type) => type.mime);
export const ALLOWED_EXTENSIONS = ALLOWED.flatMap((type) => type.extensions);

/** The allowed type that `extension` (`.png`, any letter case) names, if any. */
export function typeOfExtension(extension: string): string | undefined {
  const lower = extension.toLowerCase();
  return ALLOWED.find((type) => type.extensions.includes(lower))?.mime;
}

/** The extension a file of the allowed type `mime` is given when its name has none. */
export const extensionOfType = (mime: string): string | undefined =>
  ALLOWED.find((type) => type.mime === mime)?.extensions[0];

const INLINE_EXTENSIONS = new Set(ALLOWED.filter((type) => type.inline).flatMap((type) => type.extensions));

/** koa-send's `setHeaders` for the files under /uploads (the local provider's `localServer`). */
export function uploadHeaders(res: ServerResponse, filePath: string): void {
  const inline = INLINE_EXTENSIONS.has(path.extname(filePath).toLowerCase());
  res.setHeader('Content-Disposition', inline ? 'inline' : 'attachment');
}
