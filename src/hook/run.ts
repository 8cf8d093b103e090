// `zdcheck hook <patch-file> [smtp-headers-file]`: what the installed sendemail-validate hook
// runs, once per file git is about to send, from the top of the work tree. Per patch: the
// findings about this patch are reported; series-level ones wait for a whole-series run.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyConfig, configNotices, loadConfig } from '../config/index.js';
import { runRules } from '../engine/check.js';
import { UsageError } from '../errors.js';
import type { InputSpec } from '../input/types.js';
import { collect } from '../pipeline.js';
import { formatText } from '../report/text.js';
import { RULES } from '../rules.js';
import type { Collection, Finding, Person } from '../types.js';
import { resolveHookBase, workTreeTop } from './base.js';
import { recipientsFromHeaders } from './headers.js';

export interface HookIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function readArg(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`${path}: cannot read the ${what} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/**
 * Who the mail goes to. git 2.41+ says it (the SMTP headers file): that replaces whatever the
 * file says. Older git does not: a format-patch file without To/Cc gets its recipients from
 * --to/--cc at send time, so they are unknown (null), not "nobody" — rules about who must be
 * copied then stay quiet instead of warning on every patch.
 */
function setRecipients(collection: Collection, fromHeaders: Person[] | null): void {
  const all = [...collection.series.flatMap((s) => [...(s.cover ? [s.cover] : []), ...s.patches, ...s.replies]), ...collection.stray];
  for (const p of all) {
    if (fromHeaders) p.recipients = fromHeaders;
    else if (p.message.to.length === 0 && p.message.cc.length === 0) p.recipients = null;
  }
}

/**
 * Findings about this file: those on a patch (or the input itself). A series-level finding
 * (no patch) about a lone `[PATCH 3/5]` would only say that parts 1, 2, 4 and 5 are not in this
 * one file — which is how git hands them over, not a defect.
 */
export function perPatchFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.patchKey !== null || f.series === null);
}

export async function runHook(args: string[], io: HookIO): Promise<number> {
  if (args.length < 1 || args.length > 2) {
    throw new UsageError('hook: expected <patch-file> [smtp-headers-file] (git send-email passes them)');
  }
  const patchFile = resolve(io.cwd, args[0]!);
  const data = readArg(patchFile, 'patch file');
  const recipients = args[1] !== undefined ? recipientsFromHeaders(readArg(resolve(io.cwd, args[1]), 'SMTP headers file').toString('utf8')) : null;

  const top = workTreeTop(io.cwd);
  const config = loadConfig(top ?? io.cwd);
  const rules = applyConfig(RULES, config);
  for (const notice of configNotices(config)) io.stderr(`zdcheck: ${notice}\n`);
  const base = top ? resolveHookBase(top, data.toString('latin1')) : null;
  const input: InputSpec = {
    kind: 'buffer',
    source: args[0]!,
    data,
    ...(top && base ? { gitBase: { repo: top, commit: base.commit } } : {}),
  };

  const collection = await collect([input]);
  setRecipients(collection, recipients);
  const findings = perPatchFindings(runRules(rules, collection, { tree: base ? null : config.tree, kernel: config.kernel }));
  if (findings.length === 0) return 0;

  io.stdout(formatText({ collection, findings, rules: [], tool: { name: 'zdcheck', version: '' } }));
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (errors > 0) {
    io.stderr(`zdcheck: ${args[0]}: ${errors} error${errors === 1 ? '' : 's'}; not sending. Fix them, or send with git send-email --no-validate\n`);
    return 1;
  }
  return 0;
}
