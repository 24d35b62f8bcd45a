// Marks the page hook as a script DevTools should step over: an inline source map whose one
// source is on its ignore list (`ignoreList`, and Chrome's older `x_google_ignoreList`). Stack
// traces in the Console (a failed socket's error, an exception thrown through the hook) and the
// debugger's call stacks then show the page's own code first, not Sockscope's wrapper. The map
// maps every position of the script to that one source, so no frame of it escapes the list.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const MARK = '//# sourceMappingURL=';

for (const browser of ['chrome', 'firefox']) {
  const path = `dist/${browser}/extension/page-hook.js`;
  if (!existsSync(path)) continue;
  const script = readFileSync(path, 'utf8');
  if (script.includes(MARK)) continue;
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
