/**
 * Uploads that claim to be an image or a PDF must carry that format's signature in their bytes.
 *
 * Strapi's upload check (config/plugins.ts, upload.security) sniffs the content with `file-type`,
 * but when the sniffing recognises nothing, as with any text, it falls back to the file's extension
 * and then to the declared Content-Type. An SVG or HTML page named `x.png` and sent as `image/png`
 * was therefore stored as a PNG: the allow list saw only the name. Here, every type among the
 * declared one and the extension's that has a signature (the allowed images and PDF) must be what
 * `file-type` finds in the bytes; otherwise the upload is refused with 400 before anything is
 * stored. This wraps the upload service's `upload` and `replace`, under every route that stores a
 * file (the admin panel's /upload, the content API's POST /api/upload, replacements).
 *
 * The media library's "upload from URL" fetches under the partner webhooks' SSRF rules
 * (./fetch-url.ts replaces the file service's `fetchUrlToInputFile`).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { fetchUrlToInputFile } from './fetch-url';

/** Types whose files begin with a signature that `file-type` recognises. */
const SIGNED_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'image/avif',
  'application/pdf',
]);
const TYPE_OF_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.pdf': 'application/pdf',
};
/** Names some clients send for the same types. */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
};

interface UploadedFile {
  filepath?: string;
  originalFilename?: string | null;
  mimetype?: string | null;
}

type FileType = typeof import('file-type');
// file-type is an ES module only, and TypeScript compiles `import()` to `require()` for CommonJS,
// which cannot load it: the dynamic import is made at run time instead (Strapi's own upload check
// keeps its `import()` as it is). Its text is unique to each load of this file: V8 reuses a compiled
// function of the same text along with the module loader it was first compiled with, which under
// jest is that of a test file already torn down.
const importFileType = new Function('specifier', `return import(specifier); // ${randomUUID()}`) as (
  specifier: 'file-type',
) => Promise<FileType>;
let fileType: Promise<FileType> | undefined;

/** The type `file-type` recognises in the first bytes of a file, if any. */
async function detect(filepath: string): Promise<string | undefined> {
  const { fileTypeFromFile } = await (fileType ??= importFileType('file-type'));
  return (await fileTypeFromFile(filepath))?.mime;
}

/** The signed types a file claims to be, by its declared Content-Type and by its extension. */
function claimedTypes(file: UploadedFile): Set<string> {
  const declared = (file.mimetype ?? '').split(';')[0].trim().toLowerCase();
  const extension = path.extname(file.originalFilename ?? '').toLowerCase();
  const claimed = [ALIASES[declared] ?? declared, TYPE_OF_EXTENSION[extension]];
  return new Set(claimed.filter((type): type is string => Boolean(type) && SIGNED_TYPES.has(type)));
}

export async function assertSignature(file: UploadedFile): Promise<void> {
  const claimed = claimedTypes(file);
  if (claimed.size === 0) return; // no signed type claimed: Strapi's allow and deny lists decide
  const name = file.originalFilename ?? 'the file';
  const detected = file.filepath ? await detect(file.filepath) : undefined;
  const wrong = [...claimed].find((type) => type !== detected);
  if (wrong) {
    throw new errors.ValidationError(
      `${name} is sent as ${wrong} but its content is ${detected ?? 'not in that format'}`,
      { fileName: name, claimedType: wrong, detectedType: detected ?? null },
    );
  }
}

const filesOf = (files: UploadedFile | UploadedFile[] | undefined) =>
  Array.isArray(files) ? files : files ? [files] : [];

type UploadService = {
  upload(input: { data: unknown; files: UploadedFile | UploadedFile[] }, options?: unknown): Promise<unknown>;
  replace(id: unknown, input: { data: unknown; file: UploadedFile }, options?: unknown): Promise<unknown>;
};
type ServiceFactory = (deps: { strapi: Core.Strapi }) => UploadService;

export default (plugin: { services: Record<string, ServiceFactory> & { file: Record<string, unknown> } }) => {
  // "Upload from URL" of the media library fetches under the webhooks' SSRF rules (./fetch-url.ts).
  // Boot stops if Strapi no longer has the function it replaces (it would fetch its own way).
  if (typeof plugin.services.file?.fetchUrlToInputFile !== 'function')
    throw new Error('src/extensions/upload: the upload plugin has no file.fetchUrlToInputFile to replace');
  plugin.services.file = { ...plugin.services.file, fetchUrlToInputFile };
  const createUploadService = plugin.services.upload;
  plugin.services.upload = (deps) => {
    const service = createUploadService(deps);
    return {
      ...service,
      async upload(input, options) {
        for (const file of filesOf(input?.files)) await assertSignature(file);
        return service.upload(input, options);
      },
      async replace(id, input, options) {
        for (const file of filesOf(input?.file)) await assertSignature(file);
        return service.replace(id, input, options);
      },
    };
  };
  return plugin;
};
