/**
 * Only images and PDF are stored, and a file is what its name says. The extension must be one of
 * the allowed types' (./allowed-types.ts: `.png`, `.jpg`, `.pdf`...), the bytes must be that type
 * by their signature (`file-type`), and a declared Content-Type of an allowed type must be that one
 * too; otherwise the upload is refused with 400 before anything is stored.
 *
 * Strapi's own check (config/plugins.ts, upload.security) goes by the sniffed content when it finds
 * one, and falls back to the extension, then to the declared type: a PNG named `invoice.hta` (or
 * `.cmd`, `.ps1`, `.url`, `.desktop`...) sent as application/octet-stream was stored as a PNG and
 * served from our origin under its own name's extension, and an SVG or HTML page named `x.png` was
 * stored as a PNG. An allow list of extensions closes both: no extension, a double one
 * (`x.png.hta`), trailing dots or spaces all leave a name whose extension is not allowed.
 *
 * The check runs at the controllers that receive files (the admin panel's /upload, /upload/files
 * and replacements, the content API's POST /api/upload, with `ref`/`refId`/`field` to attach the
 * file to an entry), on every file before any is stored, so that one refused file refuses the whole
 * request (Strapi's own check drops it and stores the others); and again at the upload service's
 * `upload` and `replace`, under every other way in (the media library's upload from URL).
 *
 * The media library's "upload from URL" fetches under the partner webhooks' SSRF rules
 * (./fetch-url.ts replaces the file service's `fetchUrlToInputFile`).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { ALLOWED_EXTENSIONS, ALLOWED_MIME_TYPES, typeOfExtension } from './allowed-types';
import { fetchUrlToInputFile } from './fetch-url';

/** Names some clients send for the allowed types. */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'application/x-pdf': 'application/pdf',
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

const refused = (name: string, message: string, details: Record<string, unknown>) =>
  new errors.ValidationError(`${name}: ${message}`, { fileName: name, ...details });

/** Refuses (400) a file that is not an allowed type, or not the type its name says. */
export async function assertAllowedFile(file: UploadedFile): Promise<void> {
  const name = file.originalFilename ?? '';
  const shown = name || 'the file';
  const extension = path.extname(name);
  const type = typeOfExtension(extension);
  if (!type)
    throw refused(
      shown,
      `only images and PDF are accepted, and the name must end in one of ${ALLOWED_EXTENSIONS.join(' ')}`,
      { extension: extension || null, allowedExtensions: ALLOWED_EXTENSIONS },
    );
  const declared = (file.mimetype ?? '').split(';')[0].trim().toLowerCase();
  const declaredType = ALIASES[declared] ?? declared;
  if (ALLOWED_MIME_TYPES.includes(declaredType) && declaredType !== type)
    throw refused(shown, `it is sent as ${declaredType} but named ${extension}`, {
      claimedType: declaredType,
      extensionType: type,
    });
  const detected = file.filepath ? await detect(file.filepath) : undefined;
  if (detected !== type)
    throw refused(shown, `it is named ${extension} but its content is ${detected ?? 'not in that format'}`, {
      claimedType: type,
      detectedType: detected ?? null,
    });
}

const filesOf = (files: UploadedFile | UploadedFile[] | undefined) =>
  Array.isArray(files) ? files : files ? [files] : [];

async function assertAllAllowed(files: UploadedFile | UploadedFile[] | undefined): Promise<void> {
  for (const file of filesOf(files)) await assertAllowedFile(file);
}

type UploadService = {
  upload(input: { data: unknown; files: UploadedFile | UploadedFile[] }, options?: unknown): Promise<unknown>;
  replace(id: unknown, input: { data: unknown; file: UploadedFile }, options?: unknown): Promise<unknown>;
};
type ServiceFactory = (deps: { strapi: Core.Strapi }) => UploadService;
type Action = (this: unknown, ctx: Context, ...rest: unknown[]) => unknown;
type Controller = Record<string, Action>;
type ControllerEntry = Controller | ((deps: { strapi: Core.Strapi }) => Controller);

/** The actions of the upload controllers that receive files (the multipart field `files`). */
const FILE_ACTIONS: Record<string, string[]> = {
  'admin-upload': ['upload', 'uploadFiles', 'uploadFile', 'replaceFile'],
  'content-api': ['upload', 'uploadFiles', 'replaceFile'],
};

/** `controller` with every file of the request checked before its file-receiving `actions` run. */
function checkingFiles(name: string, controller: Controller, actions: string[]): Controller {
  const checked = { ...controller };
  for (const action of actions) {
    const handler = controller[action];
    // Boot stops if the action is gone: its files would reach Strapi's own check alone.
    if (typeof handler !== 'function')
      throw new Error(`src/extensions/upload: the upload plugin has no ${name}.${action} to check`);
    checked[action] = async function (this: unknown, ctx, ...rest) {
      const { files } = (ctx.request as { files?: { files?: UploadedFile | UploadedFile[] } }).files ?? {};
      await assertAllAllowed(files);
      return handler.call(this, ctx, ...rest);
    };
  }
  return checked;
}

export default (plugin: {
  services: Record<string, ServiceFactory> & { file: Record<string, unknown> };
  controllers: Record<string, ControllerEntry>;
}) => {
  // "Upload from URL" of the media library fetches under the webhooks' SSRF rules (./fetch-url.ts).
  // Boot stops if Strapi no longer has the function it replaces (it would fetch its own way).
  if (typeof plugin.services.file?.fetchUrlToInputFile !== 'function')
    throw new Error('src/extensions/upload: the upload plugin has no file.fetchUrlToInputFile to replace');
  // New objects, never the plugin module's own: a process that boots Strapi again (the tests'
  // workers) would otherwise wrap the previous boot's wraps.
  plugin.services = { ...plugin.services };
  plugin.services.file = { ...plugin.services.file, fetchUrlToInputFile };
  plugin.controllers = { ...plugin.controllers };
  for (const [name, actions] of Object.entries(FILE_ACTIONS)) {
    const entry = plugin.controllers[name];
    plugin.controllers[name] =
      typeof entry === 'function'
        ? (deps) => checkingFiles(name, entry(deps), actions)
        : checkingFiles(name, entry ?? {}, actions);
  }
  const createUploadService = plugin.services.upload;
  plugin.services.upload = (deps) => {
    const service = createUploadService(deps);
    return {
      ...service,
      async upload(input, options) {
        await assertAllAllowed(input?.files);
        return service.upload(input, options);
      },
      async replace(id, input, options) {
        await assertAllAllowed(input?.file);
        return service.replace(id, input, options);
      },
    };
  };
  return plugin;
};
