// Finishes the built page hook, in both browsers' builds:
// - Strict mode for the whole script: the IIFE bundle drops the modules' implied strictness, and
//   sloppy functions hand their receiver to V8's CallSite API (`getThis()` in a page's
//   Error.prepareStackTrace), which would give the page the hook's Proxy handlers.
// - Marks it as a script DevTools should step over: an inline source map whose one
// source is on its ignore list (`ignoreList`, and Chrome's older `x_google_ignoreList`). Stack
// traces in the Console (a failed socket's error, an exception thrown through the hook) and the
// debugger's call stacks then show the page's own code first, not Sockscope's wrapper. The map
// maps every position of the script to that one source, so no frame of it escapes the list.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const MARK = '//# sourceMappingURL=';

for (const browser of ['chrome', 'firefox']) {
  const path = `dist/${browser}/extension/page-hook.js`;
  if (!existsSync(path)) continue;
  let script = readFileSync(path, 'utf8');
  if (script.includes(MARK)) continue;
  const IIFE_START = '(function() {';
  if (!script.startsWith(IIFE_START)) throw new Error(`${path} does not start as an IIFE`);
  script = `${IIFE_START}\n"use strict";${script.slice(IIFE_START.length)}`;
  const map = {
    version: 3,
    file: 'page-hook.js',
    sources: ['sockscope://page-hook (the Sockscope extension)'],
    sourcesContent: ["// Sockscope records this page's WebSockets here. See its README.\n"],
    names: [],
    mappings: 'AAAA',
    ignoreList: [0],
    x_google_ignoreList: [0],
  };
  const inline = Buffer.from(JSON.stringify(map)).toString('base64');
  writeFileSync(path, `${script.trimEnd()}\n${MARK}data:application/json;base64,${inline}\n`);
}
