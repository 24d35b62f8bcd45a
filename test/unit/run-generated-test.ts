import { Buffer } from 'node:buffer';
import { resolve } from 'node:path';
import ts from 'typescript';
import { expect } from 'vitest';

/**
 * Runs a test file made by recording-to-playwright.ts without a browser: its `test` body gets a
 * fake page whose one socket (at `socketUrl`, if the file routes it) sends `pageSends` once the
 * page is visited; `expect` is vitest's, whose `expect.poll(...).toEqual` the file uses as it
 * would Playwright's.
 */
export interface FakeRun {
  /** The URL the test visited. */
  visited: string;
  /** Whether the file's route took the page's socket. */
  routed: boolean;
  /** What the file's mock sent to the page, in order. */
  toPage: Array<string | Buffer>;
  /** Why the test failed, or null when it passed. */
  failure: string | null;
}

type Handler = (ws: {
  send(message: string | Buffer): void;
  onMessage(handler: (message: string | Buffer) => void): void;
}) => void;

export async function runGeneratedTest(
  source: string,
  socketUrl: string,
  pageSends: ReadonlyArray<string | Buffer>,
  env: Record<string, string> = {},
): Promise<FakeRun> {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  let body: ((fixtures: { page: unknown }) => Promise<void>) | undefined;
  const modules: Record<string, unknown> = {
    'node:buffer': { Buffer },
    '@playwright/test': {
      expect,
      test: (_title: string, run: typeof body) => {
        body = run;
      },
    },
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', 'process', js)(
    (name: string) => modules[name],
    module,
    module.exports,
    { env },
  );
  const run: FakeRun = { visited: '', routed: false, toPage: [], failure: null };
  let route: { match: (url: URL) => boolean; handler: Handler } | undefined;
  const page = {
    routeWebSocket: async (match: (url: URL) => boolean, handler: Handler) => {
      route = { match, handler };
    },
    goto: async (url: string) => {
      run.visited = url;
      if (!route?.match(new URL(socketUrl))) return;
      run.routed = true;
      let onMessage: ((message: string | Buffer) => void) | undefined;
      route.handler({
        send: (message) => run.toPage.push(message),
        onMessage: (handler) => {
          onMessage = handler;
        },
      });
      for (const message of pageSends) onMessage?.(message);
    },
  };
  if (!body) throw new Error('the file declares no test');
  await body({ page }).catch((error: Error) => {
    run.failure = error.message;
  });
  return run;
}

/** TypeScript's errors in the file, checked against the installed @playwright/test's types. */
export function typeErrors(source: string): string[] {
  // Inside the repository, so that '@playwright/test' resolves to node_modules.
  const fileName = resolve('test/unit/generated.spec.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => name === fileName || ts.sys.fileExists(name);
  host.readFile = (name) => (name === fileName ? source : readFile(name));
  host.getSourceFile = (name, version, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, source, version)
      : getSourceFile(name, version, ...rest);
  const program = ts.createProgram([fileName], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}
