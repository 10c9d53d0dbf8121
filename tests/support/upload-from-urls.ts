/** The media library's "Upload from URL", as the admin panel calls it. */
import type { TestApp } from './strapi';

export interface UploadEvent {
  event: string;
  data: {
    name?: string;
    url?: string;
    message?: string;
    file?: { name: string; url: string; mime: string; ext: string };
  };
}

/** POSTs the panel's upload-from-urls action as `session` and parses its Server-Sent Events. */
export async function uploadFromUrls(
  app: TestApp,
  session: { headers: Record<string, string> },
  urls: string[],
): Promise<UploadEvent[]> {
  const response = await app
    .http()
    .post('/upload/actions/upload-from-urls')
    .set(session.headers)
    .send({ urls })
    .buffer(true)
    .parse((res, callback) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => callback(null, text));
    });
  expect(response.status).toBe(200);
  return String(response.body)
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [, event] = /^event: (.*)$/m.exec(block) ?? [];
      const [, data] = /^data: (.*)$/m.exec(block) ?? [];
      return { event, data: JSON.parse(data ?? '{}') } as UploadEvent;
    });
}
