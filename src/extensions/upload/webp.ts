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
 * A lifecycle of the upload's file model (a public extension point), before its row is written: whichever way the file came
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
  const uploads = path.resolve(strapi.dirs.static.public, 'uploads');
  const local = path.resolve(strapi.dirs.static.public, decodeURIComponent(source.url.replace(/^\//, '')));
  if (!local.startsWith(uploads + path.sep)) throw new Error(`not in the uploads folder: ${source.url}`);
  const { data, info } = await sharp(await readFile(local))
    // Upright as the original shows (a phone photo's orientation is in its metadata).
    .rotate()
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

/**
 * Adds the WebP formats to `file` (the row about to be written) when it is a JPEG or PNG without
 * them: before the row is written, so that storing a file is one write (a file row's update reads
 * as a change of its metadata, which empties the response cache of the entries showing it).
 */
export async function addWebpFormats(strapi: Core.Strapi, file: Partial<FileRow> | undefined): Promise<void> {
  if (!file?.mime || !CONVERTED.has(file.mime) || !file.url || !file.hash || hasWebp(file as FileRow)) return;
  if ((file.provider ?? 'local') !== 'local' || !file.url.startsWith('/')) return;
  const formats: Record<string, Format> = { ...(file.formats ?? {}) };
  const made: Format[] = [];
  try {
    made.push((formats[WEBP_PREFIX] = await webpOf(strapi, file as Format, WEBP_PREFIX)));
    for (const [name, format] of Object.entries(file.formats ?? {}))
      made.push((formats[`${WEBP_PREFIX}_${name}`] = await webpOf(strapi, format, `${WEBP_PREFIX}_${name}`)));
    file.formats = formats;
  } catch (error) {
    // None half made: the copies already written go, so nothing is left that no file lists.
    await Promise.allSettled(made.map((format) => strapi.plugin('upload').provider.delete(format)));
    throw error;
  }
}

export function registerWebpFormats(strapi: Core.Strapi): void {
  const add = async (event: { params?: { data?: unknown } }) => {
    const data = event.params?.data as Partial<FileRow> | undefined;
    // A new file, or a file replaced (a new URL); an edit of its name or text has none.
    if (!data?.url) return;
    try {
      await addWebpFormats(strapi, data);
    } catch (error) {
      // The file itself is stored: without its WebP copies, front-ends use its own formats.
      strapi.log.warn(`WebP formats not made for ${data.url}: ${String(error)}`);
    }
  };
  strapi.db.lifecycles.subscribe({ models: [FILE_UID], beforeCreate: add, beforeUpdate: add });
}
