// Shared by the CLI tests: the built binary run as a user runs it, and patch mail to feed it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'zdcheck.js');

/** `npm test` builds first; a lone `vitest run test/cli...` builds here if dist/ is missing. */
export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli.js'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  }
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function zdcheck(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Run {
  const env = { ...process.env, ...opts.env };
  delete env['GITHUB_STEP_SUMMARY'];
  if (opts.env?.['GITHUB_STEP_SUMMARY']) env['GITHUB_STEP_SUMMARY'] = opts.env['GITHUB_STEP_SUMMARY'];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'zdcheck-cli-'));
}

/** One format-patch style mail. `signoff` null leaves the Signed-off-by out. */
export function patchMail(o: {
  subject: string;
  from?: string;
  signoff?: string | null;
  file?: string;
  n?: number;
}): string {
  const from = o.from ?? 'Ada Dev <ada@example.org>';
  const signoff = o.signoff === undefined ? from : o.signoff;
  const file = o.file ?? 'mm/memremap.c';
  const n = o.n ?? 1;
  return [
    `From 000000000000000000000000000000000000000${n % 10} Mon Sep 17 00:00:00 2001`,
    `From: ${from}`,
    'Date: Mon, 5 Jan 2026 10:00:00 +0000',
    `Subject: ${o.subject}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Explain the change.',
    '',
    ...(signoff ? [`Signed-off-by: ${signoff}`] : []),
    '---',
    ` ${file} | 1 +`,
    ' 1 file changed, 1 insertion(+)',
    '',
    `diff --git a/${file} b/${file}`,
    'index 1111111..2222222 100644',
    `--- a/${file}`,
    `+++ b/${file}`,
    '@@ -1,2 +1,3 @@',
    ' int a;',
    `+int b${n};`,
    ' int c;',
    '-- ',
    '2.39.5',
    '',
    '',
  ].join('\n');
}
