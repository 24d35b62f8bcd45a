import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import baseManifest from './manifest.json' with { type: 'json' };

export type TargetBrowser = 'chrome' | 'firefox';

const GECKO_ID = 'sockscope@sockscope.dev';

/** Firefox's manifest, derived from the one Chrome-shaped manifest. */
export function manifestFor(browser: TargetBrowser): ManifestV3Export {
  const manifest = structuredClone(baseManifest) as Record<string, unknown> & typeof baseManifest;
  if (browser === 'chrome') return manifest as ManifestV3Export;
  const { service_worker, type } = manifest.background;
  return {
    ...manifest,
    background: { scripts: [service_worker], type },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      // The linter assumes Android too, where data_collection_permissions came in 142.
      gecko_android: { strict_min_version: '142.0' },
    },
  } as unknown as ManifestV3Export;
}

export default defineConfig(({ mode }) => {
  const browser: TargetBrowser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [
      preact(),
      crx({
        manifest: manifestFor(browser),
        browser,
        contentScripts: {
          standaloneFiles: ['extension/page-hook.ts', 'extension/content-relay.ts'],
        },
      }),
    ],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      target: browser === 'firefox' ? 'firefox140' : 'chrome120',
      minify: false,
      rollupOptions: { input: { panel: 'extension/panel.html' } },
    },
  };
});
