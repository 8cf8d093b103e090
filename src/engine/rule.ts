// The shape every rule in rules/ takes, after ESLint's: `meta` is data (id, severity, one-line
// description, scope, the messages by id with {{placeholders}}), and `check(ctx)` reports through
// a context that hands it everything it may read. A rule imports nothing that reads a tree, loads
// the model or reads the config: the context is its whole world, so a test can give it another.
import type { Repository } from '../git/repository.js';
import type { Kbuild } from '../kbuild/index.js';
import type { KernelChoice, SeriesModel } from '../model/run.js';
import type { Model } from '../model/types.js';
import type { SeriesSource } from '../source/types.js';
import type { SyntaxView } from '../syntax/index.js';
import type { TreeAfterSeries } from '../tree/after.js';
import type { KernelTree } from '../tree/types.js';
import type { Collection, Finding, Patch, Series, Severity } from '../types.js';

/** What a rule may hold of a tree (its context hands it over). */
export type { Kbuild, KernelTree, Repository, TreeAfterSeries };

export type RuleScope =
  /** checked once per series (most rules) */
  | 'series'
  /** checked once per run, over the whole collection (e.g. unreadable messages) */
  | 'input';

/** The values a message's {{placeholders}} take. */
export type MessageData = Readonly<Record<string, string | number>>;

export interface RuleMeta<M extends string = string> {
  /** Stable kebab-case id: a contract, never renamed. */
  id: string;
  /** Default severity; a finding may report a different one when the rule doc says so. */
  severity: Severity;
  /** One line: what the rule catches. */
  description: string;
  scope: RuleScope;
  /**
   * What the rule can say, by message id: one line each (at most 160 characters once filled in),
   * `{{name}}` standing for `data.name`. Tests assert on the id and the data, not on the English.
   */
  messages: Readonly<Record<M, string>>;
  /**
   * What a series must change for the rule to have anything to say (src/engine/interest.ts): the
   * engine skips the rule on a series that changes nothing of it, before any C is parsed. It must
   * be a necessary condition, never a guess: a rule that can report on a series outside it would
   * be silent there (its must-trigger fixtures run with it). A rule without one runs on every series;
   * a list is of interest when any of its entries is.
   */
  interest?: RuleInterest | readonly RuleInterest[];
  /**
   * Which series the rule runs on: `every-series` (the default: the mail checks, which judge any
   * patch) or `zone-device` (the code rules: only series that touch the ZONE_DEVICE world,
   * src/engine/world.ts, unless the run asks for every series with `--all-series`).
   */
  runsOn?: 'every-series' | 'zone-device';
}

/**
 * The files and changed lines a rule reads. A series is of interest when one of its patches
 * changes a file whose old or new path matches `paths` (any file when absent) and, when words or
 * lines are given, on a line it adds (or removes, unless `added`) one of `words` (whole words),
 * of `modelWords` or a match of `lines`. With paths alone, touching such a file is enough.
 */
export interface RuleInterest {
  paths?: readonly RegExp[];
  words?: readonly string[];
  /** Words taken from the model's data (memory types, helpers, Kconfig symbols), asked once per model. */
  modelWords?: (model: Model) => Iterable<string>;
  lines?: readonly RegExp[];
  /** Only lines the series adds count (default: added and removed ones). */
  added?: boolean;
}

/** What a rule hands to report(): which message with what data, and where. */
export interface Report<M extends string = string> {
  messageId: M;
  data?: MessageData;
  /** What does not fit the message line: evidence, reasoning, the longer how-to-fix. */
  detail?: string;
  /** What the rule could not judge from what it was given (the no-base-tree info lines), not a defect. */
  notChecked?: boolean;
  severity?: Severity;
  /** The patch the finding is about; null or absent for series-level findings. */
  patch?: Patch | null;
  file?: string | null;
  line?: number | null;
}

export interface CheckOptions {
  /** Kernel tree to read whole files from (mail input), or null. */
  tree: string | null;
  /** Kernel version given with --kernel or the config file's `kernel:`, or null. */
  kernel: string | null;
  /**
   * Where `kernel` came from, as the model's reason words it: `given with --kernel`, `from the
   * config file .zdcheck.yml`. Absent: the reason says only that it was given.
   */
  kernelFrom?: string | null;
  /** Run the code rules on every series, not only on those in the ZONE_DEVICE world (`--all-series`). */
  allSeries?: boolean;
}

/** What every rule's context has. */
interface ContextBase<M extends string> {
  /** Everything the run read (for series rules: the series being checked is in it). */
  readonly collection: Collection;
  report(report: Report<M>): void;
}

/** The context of an input-scope rule: the whole collection, once per run. */
export type InputContext<M extends string = string> = ContextBase<M>;

/** The context of a series-scope rule: one series and everything known about it. */
export interface SeriesContext<M extends string = string> extends ContextBase<M> {
  readonly series: Series;
  /**
   * The base tree as the series leaves it (its own files as it changes them, its greps seeing its
   * added lines and not its removed ones), or null when there is no base tree (mail alone).
   * Identifiers are judged here: a name the series adds exists.
   */
  readonly tree: TreeAfterSeries | null;
  /** The base tree itself, before the series: for what is about the base (does a hunk apply). */
  readonly baseTree: KernelTree | null;
  /**
   * The build configuration of the tree as the series leaves it (src/kbuild): under which options
   * the ZONE_DEVICE API headers declare each name, which options build a file, what an option
   * depends on or selects. null without a base tree.
   */
  readonly kbuild: Kbuild | null;
  /**
   * The kernel the series is for and the model's view at it, the tree's facts winning: the one
   * chooser every rule takes the era from (the base tree's Makefile or what the tree defines,
   * --kernel or the config, the subject's stable prefix, what the mail and the diff show, the date).
   */
  readonly kernel: KernelChoice;
  /**
   * The git repository of the run, for what only history answers (which commit an id names): the
   * `--git` range's or the hook's, or a `--tree DIR` at the top of a git work tree. null otherwise
   * (mail alone, a tree from a tarball).
   */
  readonly repository: Repository | null;
  /** The model's data, every era: for rules that ask what was true in other kernels. */
  readonly data: Model;
  /**
   * The files the series touches, before and after each patch: whole files when a base tree
   * is known, else the hunks' fragments. Built on first call and shared by the series' rules.
   */
  source(): SeriesSource;
  /** Parses images (C, Kconfig) on request; each image is parsed once per run. */
  readonly syntax: SyntaxView;
  /**
   * The memory-type model of the series: the delta it makes and its obligations (settle them
   * with settle()). Built on first call, once per series.
   */
  model(): SeriesModel;
  /**
   * One finding per run for what would otherwise repeat in every series, chiefly the info line
   * saying what could not be checked without a base tree (thousands of series must not print it
   * thousands of times). Every call with the same key, from any series, adds its items; after the last
   * series, the first call's `render` turns all of them (in order, without repeats) into one
   * report. Gathered from one series, the finding is on that series and the first call's `patch`;
   * from several, on none: it is about the whole input. Keys are per rule.
   */
  gather(g: Gather<M>): void;
}

export interface Gather<M extends string = string> {
  key: string;
  items: readonly string[];
  patch?: Patch | null;
  /**
   * `series`: how many series contributed. null: nothing to report (a check deferred to the end of
   * the run, such as one tree search for every series' names, that came out clean).
   */
  render: (items: string[], series: number) => Omit<Report<M>, 'patch'> | null;
}

export interface SeriesRule<M extends string = string> {
  meta: RuleMeta<M> & { scope: 'series' };
  check(ctx: SeriesContext<M>): void;
}

export interface InputRule<M extends string = string> {
  meta: RuleMeta<M> & { scope: 'input' };
  check(ctx: InputContext<M>): void;
}

export type Rule<M extends string = string> = SeriesRule<M> | InputRule<M>;

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MESSAGE_ID = /^[a-z][A-Za-z0-9]*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Checks a rule's metadata once, at load: a malformed id or message is a bug in zdcheck. */
export function defineRule<M extends string>(rule: SeriesRule<M>): SeriesRule<M>;
export function defineRule<M extends string>(rule: InputRule<M>): InputRule<M>;
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  if (!ID.test(rule.meta.id)) throw new Error(`rule id is not kebab-case: ${rule.meta.id}`);
  for (const id of Object.keys(rule.meta.messages)) {
    if (!MESSAGE_ID.test(id)) throw new Error(`${rule.meta.id}: message id is not camelCase: ${id}`);
  }
  return rule;
}

/**
 * The rule with every finding at `severity` (a config's override: the maintainer's last word, even
 * where the rule reports below or above its default). The context is the rule's own, its report
 * replaced: the shared parts stay lazy (contexts are built with their shared part as prototype).
 */
export function withSeverity(rule: Rule, severity: Severity): Rule {
  const meta = { ...rule.meta, severity };
  const override = <C extends { report(r: Report): void }>(ctx: C): C =>
    Object.assign(Object.create(ctx) as C, { report: (r: Report) => ctx.report({ ...r, severity }) });
  return rule.meta.scope === 'series'
    ? { meta: { ...meta, scope: 'series' }, check: (ctx: SeriesContext) => (rule as SeriesRule).check(override(ctx)) }
    : { meta: { ...meta, scope: 'input' }, check: (ctx: InputContext) => (rule as InputRule).check(override(ctx)) };
}

/** The placeholders a message template names, in order. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** A message template filled in; a placeholder without data is a bug in the rule. */
export function formatMessage(template: string, data: MessageData = {}): string {
  return template.replace(PLACEHOLDER, (_, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`no data for {{${key}}} in "${template}"`);
    return String(value);
  });
}

export function toFinding(rule: RuleMeta, series: Series | null, r: Report): Finding {
  const template = (rule.messages as Record<string, string>)[r.messageId];
  if (template === undefined) throw new Error(`${rule.id}: unknown message id ${r.messageId}`);
  const message = formatMessage(template, r.data);
  const patch = r.patch ?? null;
  return {
    rule: rule.id,
    severity: r.severity ?? rule.severity,
    message,
    ...(r.detail ? { detail: r.detail } : {}),
    ...(r.notChecked ? { notChecked: true as const } : {}),
    patch: patch ? patch.subject : null,
    file: r.file ?? null,
    line: r.line ?? null,
    series: series ? series.key : null,
    patchKey: patch ? patch.key : null,
    messageId: r.messageId,
    ...(r.data ? { data: r.data } : {}),
  };
}
