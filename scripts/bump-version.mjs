// Sets the version everywhere it is stated, together, and files the release notes under it:
// package.json, package-lock.json (its two root copies), manifest.json, and CHANGELOG.md, where
// the notes under "## Unreleased" become "## X.Y.Z - YYYY-MM-DD" below a new, empty Unreleased.
// Usage: node scripts/bump-version.mjs <X.Y.Z | major | minor | patch> [--date YYYY-MM-DD]
// The same version as now is allowed: it re-syncs the files and dates a version whose section
// does not exist yet (the first release, 0.1.0, was never dated).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { checkStoreVersion } from './release-common.mjs';

// The working directory, as npm runs scripts there: this lets the script be tried on a copy.
const root = process.cwd();
const UNRELEASED = /^## Unreleased[ \t]*$/m;
const CHANGELOG_HEADER = `# Changelog

Notable changes to Sockscope, newest first. \`npm run bump-version -- X.Y.Z\` files the notes
under Unreleased as version X.Y.Z, dated, and sets that version in package.json,
package-lock.json and manifest.json.
`;

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function nextVersion(current, wanted) {
  const [major, minor, patch] = checkStoreVersion(current);
  if (wanted === 'major') return `${major + 1}.0.0`;
  if (wanted === 'minor') return `${major}.${minor + 1}.0`;
  if (wanted === 'patch') return `${major}.${minor}.${patch + 1}`;
  checkStoreVersion(wanted);
  return wanted;
}

/**
 * Replaces the top-level "version" value in place, keeping the file's own formatting (Biome's
 * one-line arrays in manifest.json, which JSON.stringify would spread out), then proves that the
 * version is the only thing that changed.
 */
function setVersionInText(file, text, version) {
  const before = JSON.parse(text);
  const updated = text.replace(/^(\s*"version"\s*:\s*")[^"]*(")/m, `$1${version}$2`);
  const after = JSON.parse(updated);
  if (
    after.version !== version ||
    !isDeepStrictEqual({ ...after, version: before.version }, before)
  ) {
    throw new Error(`${file}: could not find its top-level "version" to replace`);
  }
  return updated;
}

function setLockVersion(text, version) {
  const lock = JSON.parse(text);
  if (!lock.packages?.['']) throw new Error('package-lock.json has no root package entry');
  lock.version = version;
  lock.packages[''].version = version;
  // npm's own layout: two spaces, trailing newline.
  return `${JSON.stringify(lock, null, 2)}\n`;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The changelog with a dated section for `version`, or null if it already has one. */
function fileChangelog(text, version, date) {
  if (new RegExp(`^## v?${escapeRegExp(version)}\\b`, 'm').test(text)) return null;
  const source = text || CHANGELOG_HEADER;
  const heading = `## ${version} - ${date}`;
  const unreleased = UNRELEASED.exec(source);
  if (!unreleased) {
    // No Unreleased section: the new one goes above the newest version, or at the end.
    const firstVersion = /^## /m.exec(source);
    const at = firstVersion ? firstVersion.index : source.length;
    const head = source.slice(0, at).replace(/\s*$/, '\n\n');
    return `${head}## Unreleased\n\n${heading}\n\n- No notable changes.\n\n${source.slice(at)}`.replace(
      /\s*$/,
      '\n',
    );
  }
  const bodyStart = unreleased.index + unreleased[0].length;
  const next = /^## /m.exec(source.slice(bodyStart));
  const bodyEnd = next ? bodyStart + next.index : source.length;
  let notes = source.slice(bodyStart, bodyEnd).trim();
  if (!notes) {
    console.warn('warning: CHANGELOG.md has nothing under Unreleased; the section says so');
    notes = '- No notable changes.';
  }
  const rest = source.slice(bodyEnd);
  return `${source.slice(0, unreleased.index)}## Unreleased\n\n${heading}\n\n${notes}\n${rest ? `\n${rest}` : ''}`;
}

function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { date: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    throw new Error(
      'usage: npm run bump-version -- <X.Y.Z | major | minor | patch> [--date YYYY-MM-DD]',
    );
  }
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    throw new Error(`--date ${date}: expected YYYY-MM-DD`);
  }

  const paths = {
    package: join(root, 'package.json'),
    lock: join(root, 'package-lock.json'),
    manifest: join(root, 'manifest.json'),
    changelog: join(root, 'CHANGELOG.md'),
  };
  const packageText = readFileSync(paths.package, 'utf8');
  const current = JSON.parse(packageText).version;
  const version = nextVersion(current, positionals[0]);
  if (compare(checkStoreVersion(version), checkStoreVersion(current)) < 0) {
    throw new Error(`${version} is lower than the current ${current}: versions only go up`);
  }

  // Everything is computed before anything is written, so a failure leaves every file as it was.
  const changelogText = existsSync(paths.changelog) ? readFileSync(paths.changelog, 'utf8') : '';
  const changelog = fileChangelog(changelogText, version, date);
  if (changelog === null && version !== current) {
    throw new Error(`CHANGELOG.md already has a section for ${version}`);
  }
  const writes = [
    [paths.package, setVersionInText('package.json', packageText, version)],
    [paths.lock, setLockVersion(readFileSync(paths.lock, 'utf8'), version)],
    [
      paths.manifest,
      setVersionInText('manifest.json', readFileSync(paths.manifest, 'utf8'), version),
    ],
  ];
  if (changelog !== null) writes.push([paths.changelog, changelog]);
  for (const [path, text] of writes) writeFileSync(path, text);

  console.log(
    `${current} -> ${version}: package.json, package-lock.json, manifest.json` +
      (changelog !== null
        ? `, CHANGELOG.md (## ${version} - ${date})`
        : ' (CHANGELOG.md already had it)'),
  );
  console.log('Rebuild (npm run build or npm run package) so that dist/ carries the new version.');
}

try {
  main();
} catch (error) {
  console.error(`bump-version: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
