import { readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The page hook runs in the page's world, where every built-in may be patched by the page after
 * it installs; only src/capture (which captures what it uses at install) and src/protocol
 * (constants and types) are written for that. Code from anywhere else (src/session's base64,
 * say) calls built-ins at call time, so the hook must not import it.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ALLOWED = [resolve(root, 'src/capture'), resolve(root, 'src/protocol')];

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function specifiersOf(source: string): string[] {
  const found: string[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of source.matchAll(pattern)) found.push(match[1]!);
  }
  return found;
}

function isAllowed(file: string, specifier: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = resolve(dirname(file), specifier);
  return ALLOWED.some((folder) => target === folder || target.startsWith(folder + sep));
}

const captureFiles = readdirSync(resolve(root, 'src/capture'))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => resolve(root, 'src/capture', name));
const files = [...captureFiles, resolve(root, 'extension/page-hook.ts')];

describe('what the page hook imports', () => {
  it('finds the files to check', () => {
    expect(captureFiles.length).toBeGreaterThan(5);
  });

  it.each(
    files.map((file) => [relative(root, file), file]),
  )('%s imports only from src/capture and src/protocol', (_name, file) => {
    const outside = specifiersOf(readFileSync(file, 'utf8')).filter(
      (specifier) => !isAllowed(file, specifier),
    );
    expect(outside).toEqual([]);
  });

  it('recognises imports of every form', () => {
    const file = resolve(root, 'src/capture/example.ts');
    const source = [
      "import { a } from '../session/base64';",
      "import type { B } from '../relay/relay-core';",
      "export { c } from './page-builtins';",
      "import './side-effect';",
      "const d = await import('../panel/x');",
      "import e from 'some-package';",
      'import {\n  f,\n  g,\n} from "../protocol/limits";',
    ].join('\n');
    expect(specifiersOf(source).filter((specifier) => !isAllowed(file, specifier))).toEqual([
      '../session/base64',
      '../relay/relay-core',
      'some-package',
      '../panel/x',
    ]);
  });
});
