import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import baseManifest from './manifest.json' with { type: 'json' };

export type TargetBrowser = 'chrome' | 'firefox';

const GECKO_ID = 'sockscope@sockscope.dev';

/**
 * Firefox's manifest, derived from the one Chrome-shaped manifest. Chrome's
 * `message_serialization` (148 and later; earlier versions ignore it) makes its extension
 * messaging structured clones, as Firefox's always is, so Firefox's manifest goes without it.
 */
export function manifestFor(browser: TargetBrowser): ManifestV3Export {
  const manifest = structuredClone(baseManifest) as Record<string, unknown> & typeof baseManifest;
  if (browser === 'chrome') return manifest as ManifestV3Export;
  const { message_serialization: _chromeOnly, ...shared } = manifest;
  const { service_worker, type } = manifest.background;
  return {
    ...shared,
    background: { scripts: [service_worker], type },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
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
