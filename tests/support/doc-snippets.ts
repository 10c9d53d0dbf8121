/**
 * The code the guides show, read from the guides themselves, so that a test runs or compiles what
 * a reader copies (issue 24). A snippet is the fenced block after a `<!-- snippet: name -->` line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { APP_DIR } from './server-process';

export function docSnippet(guide: string, name: string): { language: string; code: string } {
  const file = path.join(APP_DIR, guide);
  const text = fs.readFileSync(file, 'utf8');
  const marker = `<!-- snippet: ${name} -->`;
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0)
    throw new Error(`${guide} has ${at < 0 ? 'no' : 'more than one'} "${marker}"`);
  // Only blank lines between the marker and the fence.
  const block = /^\s*```(\w+)\n([\s\S]*?\n)```(?:\n|$)/.exec(text.slice(at + marker.length));
  if (!block) throw new Error(`${guide}: no code block after "${marker}"`);
  return { language: block[1], code: block[2] };
}

/** A JavaScript snippet that declares `name`, evaluated as CommonJS: what it declares under `name`. */
export function snippetFunction<T>(guide: string, snippet: string, name: string): T {
  const { language, code } = docSnippet(guide, snippet);
  if (language !== 'js') throw new Error(`${guide}, ${snippet}: a ${language} block, not js`);
  return new Function('require', `${code}\nreturn ${name};`)(require) as T;
}
