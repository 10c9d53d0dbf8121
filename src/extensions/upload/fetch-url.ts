/**
 * The media library's "upload from URL" (`POST /upload/actions/upload-from-urls`, any admin role
 * that may upload) fetches the URLs from this server. Strapi's own fetch checks one resolved
 * address against a short list (0.0.0.0, CGNAT, NAT64... pass), resolves the name again to
 * connect, and follows redirects: a Project coordinator could make the server fetch a loopback or
 * internal address (a redirect to 127.0.0.1 was fetched and the answer stored as a public file;
 * error texts gave internal statuses away).
 *
 * This replaces the file service's `fetchUrlToInputFile` with the partner webhooks' rules
 * (src/webhooks/addresses.ts): http or https without a user name or password; every address the
 * name resolves to must be public, and the connection goes to an address that was checked; no
 * redirect is followed; a bounded time and size. Same input and result as Strapi's function.
 * WEBHOOK_ALLOW_PRIVATE_URLS (tests and development only) allows loopback receivers here too.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errors } from '@strapi/utils';
import { refusedAddress, safeLookup } from '../../webhooks/addresses';
import { webhookSettings } from '../../webhooks/settings';
import { extensionOfType } from './allowed-types';

/** Idle time allowed at any point, and the whole fetch's limit. */
const TIMEOUT_MS = 20_000;
const DEADLINE_MS = 60_000;

/**
 * Why a fetch failed, for the panel. No address a name resolved to is told (that would map the
 * internal network for whoever may upload): a refused name "is not a public address", and a
 * connection error gives its code, not its message, which names the address.
 */
function failure(url: URL, error: NodeJS.ErrnoException, timedOut = false): string {
  if (timedOut) return `Could not fetch ${url.host}: not finished within ${DEADLINE_MS / 1000} s`;
  if (error.syscall === 'getaddrinfo') return `Could not fetch ${url.host}: the name does not resolve`;
  if (error.syscall)
    return `Could not fetch ${url.host}: the connection failed (${error.code ?? error.syscall})`;
  return `Could not fetch ${url.host}: ${error.message}`;
}

export interface FetchedFile {
  filepath: string;
  originalFilename: string;
  mimetype: string;
  size: number;
  tmpWorkingDirectory: string;
}
type Progress = (progress: { bytesWritten: number; totalBytes: number | null }) => void;

/** A file name from the URL's last path segment: letters, digits, `.`, `-`, `_` only. */
export function fileNameOf(url: URL): string {
  let last = url.pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    last = decodeURIComponent(last);
  } catch {
    // kept as it is
  }
  const trimUnderscores = (text: string) => {
    let start = 0;
    let end = text.length;
    while (start < end && text[start] === '_') start += 1;
    while (end > start && text[end - 1] === '_') end -= 1;
    return text.slice(start, end);
  };
  // Cut first: the name comes from a URL of any length.
  const clean = (text: string) =>
    trimUnderscores(
      text
        .slice(0, 200)
        .normalize('NFKD')
        .replace(/[^\w-]+/g, '_'),
    );
  // The extension apart, so that a name of other scripts (`图片.jpg`) keeps it.
  const dot = last.lastIndexOf('.');
  const base = clean(dot > 0 ? last.slice(0, dot) : last).slice(0, 80) || 'file';
  const extension = dot > 0 ? clean(last.slice(dot + 1)).slice(0, 10) : '';
  return extension ? `${base}.${extension}` : base;
}

function checkedUrl(value: unknown, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new errors.ApplicationError(`Invalid URL: ${String(value).slice(0, 200)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new errors.ApplicationError('Only http and https URLs can be uploaded from');
  if (url.username || url.password)
    throw new errors.ApplicationError('The URL must not carry a user name or password');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const refused = host ? refusedAddress(host, allowPrivate) : 'no host';
  if (refused && !refused.endsWith('is not an IP address'))
    throw new errors.ApplicationError(`The URL is refused: ${refused}`);
  return url;
}

export async function fetchUrlToInputFile(
  value: string,
  tmpWorkingDirectory: string,
  sizeLimit?: number,
  onProgress?: Progress,
): Promise<{ file: FetchedFile }> {
  const { allowPrivateUrls } = webhookSettings();
  const url = checkedUrl(value, allowPrivateUrls);
  const client = url.protocol === 'https:' ? https : http;
  // One deadline for everything (name, connection, headers, body): a server sending a byte now
  // and then would outlast an idle timeout.
  let request: http.ClientRequest | undefined;
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    request?.destroy(new Error(`not finished within ${DEADLINE_MS / 1000} s`));
  }, DEADLINE_MS);
  try {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      request = client.get(
        url,
        { agent: false, lookup: safeLookup({ allowPrivateUrls }) as never, timeout: TIMEOUT_MS },
        resolve,
      );
      request.on('timeout', () => request?.destroy(new Error('no answer in time')));
      request.on('error', (error) => reject(new errors.ApplicationError(failure(url, error))));
    });
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      response.destroy();
      throw new errors.ApplicationError(
        status >= 300 && status < 400
          ? `Could not fetch ${url.host}: redirects are not followed; give the file's own address`
          : `Could not fetch ${url.host}: it answered ${status}`,
      );
    }
    const length = Number.parseInt(String(response.headers['content-length'] ?? ''), 10);
    const totalBytes = Number.isFinite(length) ? length : null;
    const tooLarge = () => new errors.ApplicationError(`File too large: at most ${sizeLimit} bytes`);
    if (sizeLimit && totalBytes !== null && totalBytes > sizeLimit) {
      response.destroy();
      throw tooLarge();
    }
    const report = (progress: { bytesWritten: number; totalBytes: number | null }) => {
      try {
        onProgress?.(progress);
      } catch {
        // progress is for the panel's bar only
      }
    };
    report({ bytesWritten: 0, totalBytes });
    const mimetype = String(response.headers['content-type'] ?? 'application/octet-stream')
      .split(';')[0]
      .trim();
    // A URL without an extension (`/photo?id=3`) takes that of the type the server declares, when
    // it is an allowed one; the content must still be that type (./strapi-server.ts).
    const name = fileNameOf(url);
    const originalFilename = path.extname(name)
      ? name
      : `${name}${extensionOfType(mimetype.toLowerCase()) ?? ''}`;
    const filepath = path.join(tmpWorkingDirectory, originalFilename);
    let bytesWritten = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytesWritten += chunk.length;
        if (sizeLimit && bytesWritten > sizeLimit) return callback(tooLarge());
        report({ bytesWritten, totalBytes });
        callback(null, chunk);
      },
    });
    try {
      await pipeline(response, counter, fs.createWriteStream(filepath));
    } catch (error) {
      await fs.promises.rm(filepath, { force: true });
      throw error instanceof errors.ApplicationError
        ? error
        : new errors.ApplicationError(failure(url, error as NodeJS.ErrnoException, timedOut));
    }
    const { size } = await fs.promises.stat(filepath);
    return { file: { filepath, originalFilename, mimetype, size, tmpWorkingDirectory } };
  } finally {
    clearTimeout(deadline);
  }
}
