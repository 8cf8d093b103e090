// The hook's three subcommands as the CLI calls them (imported lazily: a hook run loads only
// what it needs).
import { installHook, uninstallHook } from './install.js';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export function installHookCommand(flags: { repo?: string; force?: boolean }, io: Io): number {
  const { path, action } = installHook({ repo: flags.repo ?? process.cwd(), force: flags.force === true });
  io.stdout.write(`zdcheck: ${action} ${path}\n`);
  return 0;
}

export function uninstallHookCommand(flags: { repo?: string }, io: Io): number {
  const { path, removed } = uninstallHook({ repo: flags.repo ?? process.cwd() });
  io.stdout.write(removed ? `zdcheck: removed ${path}\n` : `zdcheck: no hook at ${path}; nothing to do\n`);
  return 0;
}

// The rules are loaded only for a run: installing a hook needs none of them.
export async function hookCommand(args: string[], io: Io): Promise<number> {
  const { runHook } = await import('./run.js');
  return runHook(args, {
    cwd: process.cwd(),
    stdout: (t) => io.stdout.write(t),
    stderr: (t) => io.stderr.write(t),
  });
}
