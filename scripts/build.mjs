// Builds both unpacked extensions: dist/chrome and dist/firefox, from the one manifest.
import { build } from 'vite';

for (const mode of ['chrome', 'firefox']) {
  await build({ mode, logLevel: 'warn' });
  console.log(`built dist/${mode}`);
}
