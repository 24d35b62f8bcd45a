import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { recordingToPlaywright } from './src/rules/recording-to-playwright';
import { startDemoServer } from './test/demo/demo-server';
const demo = await startDemoServer();
const dir = mkdtempSync(join(tmpdir(), 'neg-'));
symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
const ws = demo.url.replace('http', 'ws') + 'chat';
const mk = (sent: string) => recordingToPlaywright({ socketUrl: ws, pageUrl: demo.url, messages: [
  { direction: 'sent', kind: 'text', data: sent, size: sent.length },
  { direction: 'received', kind: 'text', data: 'mocked reply', size: 12 }] });
writeFileSync(join(dir, 'good.spec.ts'), mk('Hello from the demo page!'));
writeFileSync(join(dir, 'bad.spec.ts'), mk('Hello from somewhere else'));
try {
  const { stdout: out } = await promisify(execFile)('npx', ['playwright', 'test', '-c', 'test/playwright/playwright.config.ts'], { env: { ...process.env, SOCKSCOPE_PLAYWRIGHT_DIR: dir }, encoding: 'utf8' });
  console.log(out);
} catch (e: any) { console.log('rc', e.status); console.log(e.stdout.split('\n').filter((l: string) => /passed|failed|Expected|Received|✓|✘/.test(l)).join('\n')); }
await demo.close();
