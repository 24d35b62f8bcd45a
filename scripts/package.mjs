// Writes the store-ready archives of the current version:
//   release/sockscope-<version>-chrome.zip   dist/chrome at the zip's root (Chrome Web Store)
//   release/sockscope-<version>-firefox.zip  dist/firefox, packed by `web-ext build` (AMO)
//   release/sockscope-<version>-source.zip   the tracked source and how to build it (AMO asks for
//                                            it because the add-on's code is bundled)
// Usage: node scripts/package.mjs [--no-build] [--out-dir DIR]
//   --no-build     package the existing dist/ instead of running `npm run build` first
//   --out-dir DIR  where the archives go (default release/)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import webExt from 'web-ext';
import { checkStoreVersion, checkVersionsAgree, readJson } from './release-common.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// npm and npx are .cmd scripts on Windows, which spawn can only start through a shell.
const shell = process.platform === 'win32';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', shell, ...options });
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed${output ? `:\n${output}` : ''}`);
  }
  return result.stdout ?? '';
}

function git(args) {
  // Git output is bytes-exact file names; no shell, so names with spaces survive on Windows too.
  return run('git', args, { shell: false, maxBuffer: 64 * 1024 * 1024 });
}

function isGitCheckout() {
  return spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root }).status === 0;
}

/**
 * One timestamp for every entry, so that packaging the same commit twice gives the same bytes:
 * SOURCE_DATE_EPOCH (the reproducible-builds convention) if set, else the commit's time.
 */
function archiveTime(inGit) {
  const fromEnv = Number(process.env.SOURCE_DATE_EPOCH);
  const seconds =
    Number.isFinite(fromEnv) && fromEnv > 0
      ? fromEnv
      : inGit
        ? Number(git(['log', '-1', '--format=%ct']))
        : 0;
  // Zip's DOS timestamps cannot go before 1980.
  return new Date(Math.max(seconds * 1000, Date.UTC(1980, 0, 2)));
}

/** Files under dir, relative, sorted, skipping dot-files (as web-ext build does). */
function listFiles(dir, prefix = '') {
  const files = [];
  const entries = readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

function writeZip(path, entries, mtime) {
  const tree = {};
  for (const { name, data, executable } of entries) {
    // Unix permissions in the upper half of the external attributes (os 3 = Unix), so that
    // scripts such as .ci/run stay executable after unzip.
    const mode = executable ? 0o100755 : 0o100644;
    tree[name] = [data, { mtime, os: 3, attrs: mode << 16 }];
  }
  writeFileSync(path, zipSync(tree, { level: 9, mtime }));
}

function checkDist(browser, version) {
  const manifestPath = join(root, 'dist', browser, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`dist/${browser} is missing: run npm run build (or drop --no-build)`);
  }
  const built = readJson(manifestPath).version;
  if (built !== version) {
    throw new Error(
      `dist/${browser} was built for version ${built}, not ${version}: run npm run build (or drop --no-build)`,
    );
  }
}

function sourceBuildNotes(pkg, version) {
  const npmVersion = run('npm', ['--version']).trim();
  return `# Building Sockscope ${version} from this source

This archive holds the source of Sockscope ${version}. Its Firefox package
(sockscope-${version}-firefox.zip) is this source bundled by Vite (TypeScript and TSX compiled,
modules joined; nothing is minified or obfuscated). Any operating system works (Linux, macOS,
Windows).

Requirements: Node.js ${pkg.engines?.node ?? '20.19 or later'} (packaged with Node.js
${process.version.slice(1)} and npm ${npmVersion}); no browser is needed to build.

    npm ci
    npm run build

The Firefox add-on is then in dist/firefox/, file for file the contents of
sockscope-${version}-firefox.zip (dist/chrome/ is the Chrome build of the same source).
README.md describes the project, its tests and how the two builds come from one manifest.json
(vite.config.ts adds Firefox's browser_specific_settings).
`;
}

function sourceEntries(pkg, version) {
  // Tracked files as they are on disk, so that the source matches the dist/ built from them; a
  // file deleted but not yet committed is left out.
  const entries = [];
  for (const line of git(['ls-files', '--stage', '-z']).split('\0')) {
    if (!line) continue;
    const [meta, name] = line.split('\t');
    const mode = meta.split(' ')[0];
    // Symlinks (120000) and submodules (160000) are not files a build reads from a zip.
    if (mode !== '100644' && mode !== '100755') continue;
    const path = join(root, name);
    if (!existsSync(path)) continue;
    entries.push({ name, data: readFileSync(path), executable: mode === '100755' });
  }
  entries.push({
    name: 'SOURCE-BUILD.md',
    data: new TextEncoder().encode(sourceBuildNotes(pkg, version)),
    executable: false,
  });
  return entries;
}

function warnIfUncommitted() {
  const changes = git(['status', '--porcelain', '--untracked-files=normal'])
    .split('\n')
    .filter(Boolean);
  if (changes.length === 0) return;
  // Untracked files are the dangerous ones: the build may import them, the archive lacks them.
  const untracked = changes.filter((line) => line.startsWith('??')).map((line) => line.slice(3));
  console.warn(
    `warning: ${changes.length} file(s) differ from the last commit (git status). The source ` +
      'archive holds only tracked files; commit everything the build uses before a release.' +
      (untracked.length > 0
        ? `\n  not in the source archive: ${untracked.slice(0, 10).join(', ')}${untracked.length > 10 ? ', …' : ''}`
        : ''),
  );
}

async function main() {
  const { values } = parseArgs({
    options: {
      'no-build': { type: 'boolean', default: false },
      'out-dir': { type: 'string', default: 'release' },
    },
  });
  const pkg = readJson(join(root, 'package.json'));
  const version = checkVersionsAgree(root);
  checkStoreVersion(version);

  if (!values['no-build']) run('npm', ['run', 'build'], { stdio: 'inherit' });
  checkDist('chrome', version);
  checkDist('firefox', version);

  const outDir = resolve(values['out-dir']);
  mkdirSync(outDir, { recursive: true });
  const inGit = isGitCheckout();
  const mtime = archiveTime(inGit);
  const name = (kind) => `sockscope-${version}-${kind}.zip`;
  const written = [];

  const chromeDir = join(root, 'dist', 'chrome');
  writeZip(
    join(outDir, name('chrome')),
    listFiles(chromeDir).map((file) => ({
      name: file,
      data: readFileSync(join(chromeDir, file)),
      executable: false,
    })),
    mtime,
  );
  written.push(name('chrome'));

  // web-ext refuses to overwrite unless told to; removing first keeps its defaults.
  rmSync(join(outDir, name('firefox')), { force: true });
  await webExt.cmd.build(
    {
      sourceDir: join(root, 'dist', 'firefox'),
      artifactsDir: outDir,
      filename: name('firefox'),
      overwriteDest: true,
    },
    { showReadyMessage: false },
  );
  written.push(name('firefox'));

  if (inGit) {
    warnIfUncommitted();
    writeZip(join(outDir, name('source')), sourceEntries(pkg, version), mtime);
    written.push(name('source'));
  } else {
    // An unpacked source archive has no git history to list the tracked files from.
    console.warn('warning: not a git checkout, so no source archive was written');
  }

  for (const file of written) {
    const size = readFileSync(join(outDir, file)).length;
    console.log(`${join(values['out-dir'], file)}  ${(size / 1024).toFixed(0)} KiB`);
  }
}

main().catch((error) => {
  console.error(`package: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
