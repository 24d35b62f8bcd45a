// What the release scripts share: where the version lives and what a store accepts as one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Plain X.Y.Z: Chrome's manifest takes only dot-separated integers (no "-beta.1"), each ≤ 65535. */
export function checkStoreVersion(version) {
  const parts = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(version);
  if (!parts || parts.slice(1).some((part) => Number(part) > 65535)) {
    throw new Error(
      `"${version}" is not a version the stores accept: use X.Y.Z, three integers up to 65535 ` +
        'without leading zeros (Chrome rejects pre-release suffixes such as -beta.1)',
    );
  }
  return parts.slice(1).map(Number);
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The versions of every file that states one; package.json's is the one that counts. */
export function readVersions(root) {
  const lock = readJson(join(root, 'package-lock.json'));
  return {
    packageJson: readJson(join(root, 'package.json')).version,
    manifestJson: readJson(join(root, 'manifest.json')).version,
    lockRoot: lock.version,
    lockPackage: lock.packages?.['']?.version,
  };
}

/** Fails, naming every file that disagrees with package.json, and the command that fixes it. */
export function checkVersionsAgree(root) {
  const versions = readVersions(root);
  const expected = versions.packageJson;
  const where = {
    manifestJson: 'manifest.json',
    lockRoot: 'package-lock.json (version)',
    lockPackage: 'package-lock.json (packages[""].version)',
  };
  const wrong = Object.entries(where)
    .filter(([key]) => versions[key] !== expected)
    .map(([key, label]) => `${label} says ${JSON.stringify(versions[key])}`);
  if (wrong.length > 0) {
    throw new Error(
      `package.json's version is ${expected}, but ${wrong.join(' and ')}. ` +
        `Set all of them at once with: npm run bump-version -- ${expected}`,
    );
  }
  return expected;
}
