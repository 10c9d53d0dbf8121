/**
 * WebP beside every JPEG and PNG image (issue 26, section 3: responsive images for front-ends).
 * Strapi's upload makes the image's formats (thumbnail, small, medium, large: its breakpoints) in
 * the image's own type; after a file is stored (or replaced), this adds a WebP copy of the original
 * and of each format, made by sharp (the library Strapi's upload uses), as formats of the file
 * named `webp` and `webp_<format>`, each with its width, height, size and URL. The API lists them
 * with the others (`cover.formats`), the entry page offers them in a `<picture>` srcset, and
 * Strapi deletes them with the file (it deletes every format a file lists, and on a replace those
 * the new image lacks).
 *
 * A lifecycle of the upload's file model (a public extension point): whichever way the file came
 * in (the media library, the content API, upload from URL). GIF, WebP and AVIF are left as they
 * are (animated, or already smaller). Local provider only (the one this project configures): the
 * bytes are read where it wrote them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import sharp from 'sharp';

const FILE_UID = 'plugin::upload.file';
const CONVERTED = new Set(['image/jpeg', 'image/png']);
export const WEBP_PREFIX = 'webp';

interface Format {
  name?: string;
  hash: string;
  ext: string;
  mime: string;
  url: string;
  width?: number;
  height?: number;
  size?: number;
  sizeInBytes?: number;
  path?: string | null;
}
interface FileRow extends Format {
  id: number;
  provider?: string;
  formats?: Record<string, Format> | null;
}

const hasWebp = (file: FileRow) => Object.keys(file.formats ?? {}).some((key) => key.startsWith(WEBP_PREFIX));

/** The WebP copy of one stored image (the original or one of its formats), uploaded beside it. */
async function webpOf(strapi: Core.Strapi, source: Format, key: string): Promise<Format> {
  const local = path.join(strapi.dirs.static.public, decodeURIComponent(source.url.replace(/^\//, '')));
  const { data, info } = await sharp(await readFile(local))
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  const entry: Format & { buffer: Buffer } = {
    name: `${key}_${source.name ?? source.hash}`.replace(/\.[^.]+$/, '.webp'),
    hash: `${source.hash}_webp`,
    ext: '.webp',
    mime: 'image/webp',
    url: '',
    width: info.width,
    height: info.height,
    size: Math.round((data.length / 1024) * 100) / 100,
    sizeInBytes: data.length,
    path: null,
    buffer: data,
  };
  await strapi.plugin('upload').provider.upload(entry);
  const { buffer: _buffer, ...stored } = entry;
  return stored;
}

/** Adds the WebP formats of `file` when it is a JPEG or PNG without them. */
export async function addWebpFormats(strapi: Core.Strapi, file: FileRow | undefined): Promise<void> {
  if (!file || !CONVERTED.has(file.mime) || hasWebp(file)) return;
  if ((file.provider ?? 'local') !== 'local' || !file.url?.startsWith('/')) return;
  const formats: Record<string, Format> = { ...(file.formats ?? {}) };
  formats[WEBP_PREFIX] = await webpOf(strapi, file, WEBP_PREFIX);
  for (const [name, format] of Object.entries(file.formats ?? {}))
    formats[`${WEBP_PREFIX}_${name}`] = await webpOf(strapi, format, `${WEBP_PREFIX}_${name}`);
  await strapi.db.query(FILE_UID).update({ where: { id: file.id }, data: { formats } });
}

export function registerWebpFormats(strapi: Core.Strapi): void {
  const add = async (event: { result?: unknown }) => {
    try {
      await addWebpFormats(strapi, event.result as FileRow | undefined);
    } catch (error) {
      // The file itself is stored: without its WebP copies, front-ends use its own formats.
      strapi.log.warn(`WebP formats not made for file ${(event.result as FileRow)?.id}: ${String(error)}`);
    }
  };
  strapi.db.lifecycles.subscribe({ models: [FILE_UID], afterCreate: add, afterUpdate: add });
}
