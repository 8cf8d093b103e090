// `zdcheck hook <patch-file> [smtp-headers-file]`: what the installed sendemail-validate hook
// runs, once per file git is about to send, from the top of the work tree. Per patch: the
// findings about this patch are reported. With git 2.41+'s counters, the files are also kept
// (src/hook/series.ts) and the last one runs every rule over the whole series, so a helper
// added in 2/5 and misused in 4/5, or a missing part, stops the send. Older git: per patch only.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, mergeOptions } from '../config/index.js';
import type { Config } from '../config/types.js';
import { touchesWorld } from '../engine/world.js';
import { UsageError } from '../errors.js';
import { loadModel } from '../model/load.js';
import { collect } from '../pipeline.js';
import { formatText } from '../report/text.js';
import { reportInput, run, type RunResult } from '../run.js';
import { notAKernelTree } from '../tree/kernel.js';
import type { Collection, Finding, Person } from '../types.js';
import { resolveHookBase, workTree, type BaseChoice } from './base.js';
import { asMbox, sendEmailProcess, sendPosition, SendState } from './series.js';
import { recipientsFromHeaders } from './headers.js';

export interface HookIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The hook's environment (git's counters); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** What identifies one send-email run without counters: its process (the hook's parent). */
  runId?: number;
}

/** Identity of a finding across the per-file runs and the last whole-series run. */
const findingKey = (f: Finding): string => [f.rule, f.patch ?? '', f.file ?? '', f.line ?? '', f.message].join('\0');

function readArg(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`${path}: cannot read the ${what} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
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
  const recipients =
    args[1] !== undefined
      ? recipientsFromHeaders(readArg(resolve(io.cwd, args[1]), 'SMTP headers file').toString('utf8'))
      : null;

  const tree = workTree(io.cwd, io.env ?? process.env);
  const top = tree?.top ?? null;
  const config = loadConfig(top ?? io.cwd);

  // Where this file sits in the send (git 2.41+), and the state kept across the run's files.
  const pos = sendPosition(io.env ?? process.env);
  const gd = tree?.gitDir ?? null;
  const state = gd ? new SendState(gd) : null;
  let manifest = null;
  if (state) {
    state.clearStale(Date.now());
    if (pos === null) {
      if (state.noticeOnce(io.runId ?? sendEmailProcess())) {
        io.stderr(
          'zdcheck: note: series checks at send time (missing parts, cross-patch rules) need git 2.41 or later; checking each patch on its own\n',
        );
      }
    } else if (pos.counter === 1) state.clear();
    else if ((manifest = state.load(pos)) === null) {
      io.stderr(
        `zdcheck: note: file ${pos.counter} of ${pos.total} arrived without the earlier ones on record; checking it on its own\n`,
      );
    }
  }

  // A lone file's series-level findings only say the other parts are not in it: left to the last file.
  const { result: perPatch, note } = await checkFiles(top, data, args[0]!, config, recipients, false);
  // Which base this file was checked against: said when its findings depend on it, or when this
  // file's check is all there is (git before 2.41); with counters the whole series' note decides.
  if (note && (pos === null || perPatch.findings.length + perPatch.waived.length > 0)) io.stderr(note);
  const reported = await report(io, perPatch);
  const errors = perPatch.findings.filter((f) => f.severity === 'error').length;
  if (errors > 0) {
    state?.clear();
    io.stderr(
      `zdcheck: ${args[0]}: ${errors} error${errors === 1 ? '' : 's'}; not sending. Fix them, or send with git send-email --no-validate\n`,
    );
    return 1;
  }
  if (!state || pos === null || (pos.counter > 1 && manifest === null)) return 0;
  state.record(pos, data, reported, manifest);
  if (pos.counter < pos.total) return 0;

  // The last file: every rule over every file of the send, as one series. Only what the
  // per-file runs did not already print is shown.
  try {
    const kept = state.load(pos);
    if (!kept) return 0;
    const whole = await checkFiles(
      top,
      asMbox(state.files(kept)),
      `the whole series (${pos.total} files)`,
      config,
      recipients,
      true,
    );
    if (whole.note) io.stderr(whole.note);
    const seen = new Set(kept.reported);
    const fresh = {
      ...whole.result,
      findings: whole.result.findings.filter((f) => !seen.has(findingKey(f))),
      waived: whole.result.waived.filter((f) => !seen.has(findingKey(f))),
    };
    if (fresh.findings.length > 0) io.stdout(`zdcheck: the whole series (${pos.total} files):\n`);
    await report(io, fresh);
    const seriesErrors = fresh.findings.filter((f) => f.severity === 'error').length;
    if (seriesErrors > 0) {
      io.stderr(
        `zdcheck: the series as a whole: ${seriesErrors} error${seriesErrors === 1 ? '' : 's'}; not sending. Fix them, or send with git send-email --no-validate\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    state.clear();
  }
}

/**
 * One file (or the whole send, as one mbox) through the one run path, against the commit its
 * patches apply to. `whole`: every finding, unused waivers judged; otherwise only what is about
 * this file (perPatchFindings).
 */
async function checkFiles(
  top: string | null,
  data: Buffer,
  source: string,
  config: Config,
  recipients: Person[] | null,
  whole: boolean,
) {
  // The base is chosen from the patches themselves (their commits, a base-commit they name).
  const base = top ? baseOf(top, await collect([{ kind: 'buffer', source, data }]), config) : null;
  const gitBase = top && base?.base ? { repo: top, commit: base.base.commit } : null;
  const note = base?.note ? `zdcheck: note: ${source}: ${base.note}\n` : null;
  const { kernel, kernelFrom } = mergeOptions(config, {});
  const result = await run({
    inputs: [{ kind: 'buffer', source, data, ...(gitBase ? { gitBase } : {}) }],
    config,
    // The config's tree is for mail checked outside a repository; inside one the base comes from
    // git (or there is none: the note says the mail alone is read).
    tree: top === null ? configTree(config) : null,
    kernel,
    kernelFrom,
    recipients,
    // No notes ref, no note to read (hasNotes): config waivers only, without a git process.
    notesRepo: base?.hasNotes === false ? null : top,
    judgeUnusedWaivers: whole,
    ...(whole ? {} : { select: (f: Finding) => perPatchFindings([f]).length > 0 }),
  });
  return { result, note };
}

/** The config's `tree`, for a hook run outside a repository: a kernel tree, or the send stops (exit 2). */
function configTree(config: Config): string | null {
  const problem = config.tree === null ? null : notAKernelTree(config.tree, `${config.file}: tree ${config.tree}`);
  if (problem !== null) throw new UsageError(problem);
  return config.tree;
}

/** The base of what one run read: its patches in series order, and a base-commit any part names. */
function baseOf(top: string, collection: Collection, config: Config): BaseChoice {
  const patches = collection.series.flatMap((s) => s.patches);
  const declared =
    collection.series.flatMap((s) => [...(s.cover ? [s.cover] : []), ...s.patches]).find((p) => p.baseCommit)
      ?.baseCommit ?? null;
  // Only the code rules read the base tree, and they run only on the ZONE_DEVICE world.
  const readsTree = config.allSeries || collection.series.some((s) => touchesWorld(s, loadModel()));
  return resolveHookBase(top, patches, declared, readsTree);
}

/** Prints findings (and the waived count) in the text format, without the model; returns the keys printed. */
async function report(io: HookIO, result: RunResult): Promise<string[]> {
  if (result.findings.length === 0 && result.waived.length === 0) return [];
  io.stdout(formatText({ ...(await reportInput(result, 'text')), model: null }));
  return [...result.findings, ...result.waived].map(findingKey);
}
