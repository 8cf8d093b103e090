// The command line: arguments -> pipeline -> reporter -> exit code. Thin on purpose; what a
// run may not need (the pipeline, the rules, git, the SARIF reporter) is imported lazily so
// that a hook run of one patch starts fast.
//
// Exit status (design.md): 0 nothing at or above --fail-on; 1 findings at or above it;
// 2 the command could not do its job, with ONE line on stderr `zdcheck: <what and where>`.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { appendFile, open, stat, writeFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './errors.js';
import { exitStatus, FAIL_ON, type FailOn } from './exit.js';
import type { InputSpec } from './input/types.js';
import { createProgress } from './progress.js';
import { addTime, begin, printTimings } from './timing.js';
import { docPath, packageInfo, readRuleDoc } from './report/docs.js';
import { FORMATS, type Format } from './report/index.js';
import { leanHeap } from './gc.js';
import { knownInputBytes } from './input/size.js';
import { patchCount } from './series/count.js';
import type { Collection, Finding } from './types.js';

export { FAIL_ON, FORMATS, type FailOn, type Format };

type Out = NodeJS.WritableStream & { isTTY?: boolean };

/** Where a run reads and writes; tests pass their own, bin/zdcheck.js the process's. */
export interface CliIo {
  stdout: Out;
  stderr: Out;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /**
   * The process is zdcheck's own (bin/zdcheck.js): it may tune V8's heap for the run (src/gc.ts).
   * Not in tests, which share their process.
   */
  ownProcess?: boolean;
}

/**
 * Inputs this large, or of a size unknown before reading (a pipe, a directory, gzip), are checked
 * with a lean heap (src/gc.ts): memory stays flat on an archive of any size, for a quarter more CPU
 * on one past a few hundred MB; a smaller input runs as fast as V8's defaults allow, and a patch
 * set or a piped series costs the same either way.
 */
const LEAN_HEAP_FROM_BYTES = 256 << 20;

interface CheckFlags {
  git?: string;
  repo?: string;
  tree?: string;
  kernel?: string;
  config?: string;
  format: Format;
  output?: string;
  failOn: FailOn;
  color?: boolean;
  progress: boolean;
  jobs?: string;
  newOnly?: boolean;
  allSeries?: boolean;
  targetUrl?: string;
  // checkpatch.pl's own switches, for --format checkpatch (b4 passes them).
  terse?: boolean;
  summary: boolean;
  showfile?: boolean;
  quiet?: boolean;
  mailback?: boolean;
  strict?: boolean;
}

/** The exit status for these findings under --fail-on. */
export const exitCode = exitStatus;

/** Colour for the text report: --color / --no-color decide; otherwise a TTY without NO_COLOR. */
export function wantColor(flag: boolean | undefined, io: CliIo, toFile: boolean): boolean {
  if (flag !== undefined) return flag;
  if (toFile) return false;
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return io.stdout.isTTY === true;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

async function checkExists(path: string, what: 'file' | 'directory', flag?: string): Promise<void> {
  const name = flag ? `${flag} ${path}` : path;
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${name}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : oneLine(String(err))}`,
    );
  }
  if (what === 'directory' && !isDir) throw new UsageError(`${name}: not a directory`);
}

/** A base tree must be a directory, and one kernel tree (not a folder of them, not any folder). */
async function checkKernelTree(path: string, flag: string): Promise<void> {
  await checkExists(path, 'directory', flag);
  const { notAKernelTree } = await import('./tree/kernel.js');
  const problem = notAKernelTree(path, `${flag} ${path}`);
  if (problem !== null) throw new UsageError(problem);
}

/** --jobs: a whole number of threads, at least 1; absent: the pipeline decides. */
function jobsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,2}$/.test(value))
    throw new UsageError(`--jobs ${value}: expected a number of threads from 1 to 999`);
  return Number(value);
}

/** Every rule a finding can name, with its page (the registry, plus the waiver stage's). */
async function ruleMetas() {
  return (await import('./rules.js')).RULE_METAS;
}

/** Until the stream can take more (or is gone: `| head` closed it). */
function drained(s: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      s.off('drain', done);
      s.off('close', done);
      s.off('error', done);
      resolve();
    };
    s.on('drain', done);
    s.on('close', done);
    s.on('error', done);
  });
}

/** A report in pieces (a large run's), written as they come: never one string of it all. */
async function writeChunks(chunks: Iterable<string>, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined || output === '-') {
    for (const c of chunks) if (!io.stdout.write(c)) await drained(io.stdout);
    return;
  }
  try {
    const file = await open(output, 'w');
    try {
      for (const c of chunks) await file.write(c);
    } finally {
      await file.close();
    }
  } catch (err) {
    // A report that fails to format is an internal error, not the file's.
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    throw new UsageError(`--output ${output}: cannot write (${(err as NodeJS.ErrnoException).code})`);
  }
}

async function writeResult(text: string | Iterable<string>, output: string | undefined, io: CliIo): Promise<void> {
  if (typeof text !== 'string') return writeChunks(text, output, io);
  if (output === undefined || output === '-') {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (err) {
    throw new UsageError(
      `--output ${output}: cannot write (${(err as NodeJS.ErrnoException).code ?? oneLine(String(err))})`,
    );
  }
}

async function runCheck(paths: string[], flags: CheckFlags, io: CliIo): Promise<number> {
  // Inputs first: a missing file is the commonest mistake, and needs no pipeline to report.
  const inputs: InputSpec[] = [];
  let stdin = false;
  if (flags.newOnly && flags.git === undefined)
    throw new UsageError('--new-only needs --git <range>: the base of the range is what findings are compared with');
  if (flags.targetUrl !== undefined && flags.format !== 'patchwork')
    throw new UsageError('--target-url is for --format patchwork');
  // checkpatch numbers the lines of the input: keep standard input's text for the report.
  let stdinText: Buffer | null = null;
  let stdinStream = io.stdin;
  for (const p of paths) {
    if (p === '-') {
      if (stdin) throw new UsageError('- (standard input) given twice');
      stdin = true;
      inputs.push({ kind: 'stdin' });
      if (flags.format === 'checkpatch') {
        const chunks: Buffer[] = [];
        for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
        stdinText = Buffer.concat(chunks);
        stdinStream = Readable.from([stdinText]);
      }
      continue;
    }
    await checkExists(p, 'file');
    inputs.push({ kind: 'path', path: p });
  }
  if (flags.tree !== undefined) await checkKernelTree(flags.tree, '--tree');
  const repo = flags.repo ?? process.cwd();
  if (flags.git !== undefined) {
    const { readGitRange } = await import('./input/git.js');
    inputs.push(await readGitRange(flags.git, repo));
  } else if (flags.repo !== undefined) {
    await checkExists(flags.repo, 'directory', '--repo');
  }
  if (inputs.length === 0) {
    throw new UsageError(
      'no input: name mbox or patch files, directories of patches, - for standard input, or --git <range>',
    );
  }
  if (io.ownProcess === true) {
    const bytes = await knownInputBytes(inputs, io.stdin === process.stdin ? 0 : null);
    if (bytes === null || bytes >= LEAN_HEAP_FROM_BYTES) leanHeap();
  }

  // The project config (.zdcheck.json/.yml) of the repository, or of the current folder.
  const config = await import('./config/index.js');
  const cfg = flags.config !== undefined ? config.loadConfigFile(flags.config) : config.loadConfig(repo);
  const { kernel, kernelFrom, tree } = config.mergeOptions(cfg, { kernel: flags.kernel, tree: flags.tree });
  if (tree !== null && flags.tree === undefined) await checkKernelTree(tree, `${cfg.file}: tree`);

  const progress = createProgress(io.stderr, flags.progress);
  const loaded = begin('modules');
  const { run, formatRun } = await import('./run.js');
  loaded();
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run({
      inputs,
      config: cfg,
      tree,
      kernel,
      kernelFrom,
      newOnly: flags.newOnly === true,
      ...(flags.allSeries === true ? { allSeries: true } : {}),
      onProgress: (n) => progress.update(n),
      stdin: stdinStream,
      jobs: jobsOf(flags.jobs),
      // checkpatch's place is one patch at a time (b4 pipes each part of a series on its own): a
      // lone part's series-level findings would only say the other parts are not in this input.
      // What could not be checked is about this patch too, wherever the rule put it.
      ...(flags.format === 'checkpatch'
        ? {
            select: (f: Finding, c: Collection) =>
              patchCount(c) !== 1 || f.patchKey !== null || f.series === null || f.notChecked === true,
          }
        : {}),
    });
  } finally {
    progress.done();
  }

  const summaryFile = io.env['GITHUB_STEP_SUMMARY'];
  const reported = begin('report');
  const report = await formatRun(result, flags.format, {
    color: wantColor(flags.color, io, flags.output !== undefined && flags.output !== '-'),
    listOverflow: !summaryFile,
    checkpatch: {
      terse: flags.terse === true,
      summary: flags.summary,
      showfile: flags.showfile === true,
      quiet: flags.quiet === true,
      mailback: flags.mailback === true,
      strict: flags.strict === true,
      rawText: (source) => rawTextOf(source, inputs, stdinText),
    },
    patchwork: flags.targetUrl !== undefined ? { targetUrl: flags.targetUrl } : {},
  });
  await writeResult(report.body, flags.output, io);
  reported();
  if (summaryFile && report.summary !== undefined) {
    try {
      await appendFile(summaryFile, report.summary);
    } catch (err) {
      throw new UsageError(
        `GITHUB_STEP_SUMMARY ${summaryFile}: cannot append (${(err as NodeJS.ErrnoException).code ?? oneLine(String(err))})`,
      );
    }
  }
  return exitCode(result.findings, flags.failOn);
}

/** An input's text as read, for checkpatch's `#N` line numbers. */
function rawTextOf(source: string, inputs: readonly InputSpec[], stdinText: Buffer | null): string | null {
  if (source === '-') return stdinText === null ? null : stdinText.toString('utf8');
  // --git: the format-patch mail the range was read as, so `#N` is a line of `git format-patch --stdout`.
  const made = inputs.find((i) => i.kind === 'buffer' && i.source === source);
  if (made?.kind === 'buffer') return made.data.toString('utf8');
  try {
    return readFileSync(source, 'utf8');
  } catch {
    // the input's text is only for checkpatch's #N lines; without it they are left out
    return null;
  }
}

async function listRules(format: 'text' | 'json', io: CliIo): Promise<number> {
  const rules = await ruleMetas();
  if (format === 'json') {
    io.stdout.write(
      JSON.stringify(
        rules.map((m) => ({
          id: m.id,
          severity: m.severity,
          description: m.description,
          doc: docPath(m.id),
          runsOn: m.runsOn ?? 'every-series',
        })),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const idWidth = Math.max(2, ...rules.map((m) => m.id.length));
  const descWidth = Math.max(11, ...rules.map((m) => m.description.length));
  const row = (id: string, sev: string, desc: string, doc: string) =>
    `${id.padEnd(idWidth)}  ${sev.padEnd(8)}  ${desc.padEnd(descWidth)}  ${doc}`.trimEnd();
  const lines = [
    row('ID', 'SEVERITY', 'DESCRIPTION', 'DOC'),
    ...rules.map((m) => row(m.id, m.severity, m.description, docPath(m.id))),
  ];
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function explain(id: string, io: CliIo): Promise<number> {
  const rule = (await ruleMetas()).find((m) => m.id === id);
  if (!rule) throw new UsageError(`unknown rule "${id}" (\`zdcheck rules\` lists them)`);
  const doc = await readRuleDoc(id);
  if (doc === null)
    throw new UsageError(`${docPath(id)}: the documentation of ${id} is missing from this installation`);
  io.stdout.write(doc.endsWith('\n') ? doc : doc + '\n');
  return 0;
}

function buildProgram(io: CliIo, done: (code: number | Promise<number>) => void): Command {
  const program = new Command('zdcheck')
    .description('Check Linux kernel patch series that touch ZONE_DEVICE (mbox, patch files, git ranges).')
    // Commander must neither print nor exit: its errors become our one line and exit 2.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {},
    })
    .showSuggestionAfterError(true)
    // `zdcheck rules --format json`: after a subcommand name, its own options, not the program's.
    .enablePositionalOptions()
    .version(packageInfo().version, '-V, --version')
    .argument('[input...]', 'mbox, patch or .eml files, directories of format-patch files, - for standard input')
    .option('--git <range>', 'check the commits of a range (A..B, A...B, or R for R..HEAD) in --repo')
    .option('--repo <dir>', 'repository for --git and the config file (default: the current directory)')
    .option('--tree <dir>', 'kernel tree to use as the base of mbox and patch input')
    .option('--kernel <version>', 'kernel version the series targets, e.g. 6.8')
    .option(
      '--all-series',
      'run the code rules on every series, not only on those that touch ZONE_DEVICE (the mail checks run on all)',
    )
    .option(
      '--config <file>',
      'config file (default: .zdcheck.json/.yml found from --repo or the current directory up)',
    )
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file (default: standard output)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 on findings at or above this severity')
        .choices(FAIL_ON)
        .default('error'),
    )
    .option('--color', 'colour the text report even when not on a terminal')
    .option('--no-color', 'never colour the text report (NO_COLOR is honoured too)')
    .option('--no-progress', 'no progress line on standard error')
    .option('--jobs <n>', 'threads checking series on a large input (default: one per core; 1: no worker threads)')
    .option('--new-only', 'with --git: report only findings the range introduces (not those its base has already)')
    .option('--target-url <url>', 'with --format patchwork: the target_url of every check (e.g. the CI run)')
    // checkpatch.pl's switches, so zdcheck can take its place (b4.prep-perpatch-check-cmd).
    .option('--terse', 'checkpatch format: one line per finding')
    .option('--no-summary', 'checkpatch format: no total line')
    .option('--showfile', 'checkpatch format, --terse: FILE:LINE of the source file, not of the patch')
    .option('-q, --quiet', 'checkpatch format: no verdict line; nothing at all when clean')
    .option('--mailback', 'checkpatch format: nothing at all when clean')
    .option('--strict', 'checkpatch format: show info findings too, as CHECK')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  zdcheck series.mbox                    a mbox of one or more series (b4 am / b4 mbox / lore t.mbox.gz)',
        '  zdcheck --tree ~/linux series.mbox     the same, judged against a kernel tree',
        '  zdcheck --git origin/master..HEAD      the commits of a branch, with their base as the tree',
        '  git format-patch -3 --stdout | zdcheck -',
        '',
        'Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or unusable input.',
      ].join('\n'),
    )
    .action((inputs: string[], flags: CheckFlags) => done(runCheck(inputs, flags, io)));

  // Subcommands. A file named like one of them can still be checked as ./rules.
  program
    .command('rules')
    .description('list every rule: id, severity, one line, doc page')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((flags: { format: 'text' | 'json' }) => done(listRules(flags.format, io)));
  program
    .command('explain')
    .description("print a rule's documentation (rules/<id>/README.md)")
    .argument('<rule-id>')
    .action((id: string) => done(explain(id, io)));
  // The git send-email hook (src/hook): installing, removing, and the run the hook makes.
  const hook = () => import('./hook/commands.js');
  program
    .command('install-hook')
    .description('install the sendemail-validate hook that checks each patch git send-email mails')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--force', 'replace a sendemail-validate hook zdcheck did not write')
    // optsWithGlobals: the program's own --repo would otherwise take the flag first.
    .action((_f: unknown, cmd: Command) => done(hook().then((m) => m.installHookCommand(cmd.optsWithGlobals(), io))));
  program
    .command('uninstall-hook')
    .description('remove the sendemail-validate hook zdcheck installed (and no other)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .action((_f: unknown, cmd: Command) => done(hook().then((m) => m.uninstallHookCommand(cmd.optsWithGlobals(), io))));
  program
    .command('hook')
    .description('what the installed hook runs: check one file git send-email is about to mail')
    .argument('<patch-file>')
    .argument('[smtp-headers-file]', 'the SMTP headers git 2.41 and later pass')
    .action((patch: string, headers: string | undefined) =>
      done(hook().then((m) => m.hookCommand(headers === undefined ? [patch] : [patch, headers], io))),
    );
  return program;
}

function report(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0; // --help, --version
    io.stderr.write(`zdcheck: ${oneLine(err.message.replace(/^error: /, ''))}\n`);
    return 2;
  }
  if (err instanceof UsageError || (err instanceof Error && err.name === 'TreeError')) {
    io.stderr.write(`zdcheck: ${oneLine(err.message)}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`zdcheck: internal error: ${oneLine(message)}\n`);
  if (io.env['ZDCHECK_DEBUG'] === '1' && err instanceof Error && err.stack) io.stderr.write(err.stack + '\n');
  return 2;
}

export async function main(argv: string[], ioOverrides: Partial<CliIo> = {}): Promise<number> {
  // Node's own start and this module's imports (ZDCHECK_TIMINGS=1: src/timing.ts).
  addTime('start-up', performance.now());
  const io: CliIo = {
    stdout: ioOverrides.stdout ?? process.stdout,
    stderr: ioOverrides.stderr ?? process.stderr,
    stdin: ioOverrides.stdin ?? process.stdin,
    env: ioOverrides.env ?? process.env,
    ownProcess: ioOverrides.ownProcess === true,
  };
  // `zdcheck ... | head` closes the pipe early: that is not an error worth a trace. Output that cannot
  // be written at all (a full disk) ends the run with one line and status 2.
  if (io.stdout === process.stdout)
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') return;
      process.stderr.write(`zdcheck: cannot write the output (${e.code ?? e.message})\n`);
      process.exit(2);
    });
  try {
    let pending: Promise<number> = Promise.resolve(0);
    const program = buildProgram(io, (code) => {
      pending = Promise.resolve(code);
    });
    await program.parseAsync(argv, { from: 'user' });
    return await pending;
  } catch (err) {
    return report(err, io);
  } finally {
    printTimings(io.stderr);
  }
}
