// The plain data that flows between the pipeline stages. Each stage folder adds
// its own richer types next to its code; these are the ones several stages share.

/** Where a message came from: enough to name it in a note or an error. */
export interface MessageOrigin {
  /** The input as the user named it (file path, `-` for stdin, `git:<range>`). */
  source: string;
  /** 0-based position of the message inside that input. */
  index: number;
  /** 1-based line in the input where the message starts (its `From ` line for mbox). */
  line: number;
}

export interface Person {
  name: string;
  address: string;
}

/** One decoded mail message, before anything is known about patches. */
export interface MailMessage {
  origin: MessageOrigin;
  from: Person | null;
  to: Person[];
  cc: Person[];
  /** The Subject header, RFC 2047 decoded, unfolded. */
  subject: string;
  /** The Date header as given (null when absent). */
  date: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** The text the patch lives in: the text/plain body, plus inline or attached patch parts. */
  body: string;
  /**
   * Set when a streaming run has let `body` go (it is '' then) after the rules ran: the number
   * of lines it had, which is all a report reads of it.
   */
  bodyLines?: number;
  /** Every header, lower-cased name -> decoded values, in order. */
  headers: ReadonlyMap<string, readonly string[]>;
  /** The git commit this message was made from (git input only). */
  commit: string | null;
}

/** A message the mail stage could not decode; the rest of the input is still checked. */
export interface UnreadableMessage {
  origin: MessageOrigin;
  /** Message-ID or the first non-empty line, to let a person find it. */
  label: string;
  reason: string;
}

/** `[RFC PATCH v2 3/7] mm: subject` taken apart. */
export interface SubjectTags {
  /** The text inside the first bracket group(s), e.g. `RFC PATCH v2 3/7`; '' when none. */
  prefix: string;
  rfc: boolean;
  /** Version from `vN`; 1 when not given. */
  version: number;
  /** N of N/M, or null. */
  index: number | null;
  /** M of N/M, or null. */
  total: number | null;
  /** Starts with Re:/Aw:/Sv: etc. */
  reply: boolean;
  /** The subject without tags or reply prefixes. */
  title: string;
}

export interface Trailer {
  /** As written, e.g. `Signed-off-by`. */
  key: string;
  value: string;
  /** Parsed person for person trailers (Signed-off-by, Reviewed-by, ...). */
  person: Person | null;
}

export interface DiffstatEntry {
  path: string;
  /** The number column (`| 19 ++`), or null for binary lines. */
  changes: number | null;
  binary: boolean;
}

export interface Diffstat {
  entries: DiffstatEntry[];
  /** From the `N files changed, X insertions(+), Y deletions(-)` line, when present. */
  summary: { files: number; insertions: number; deletions: number } | null;
}

export type DiffLineKind = 'add' | 'del' | 'context';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its leading `+`, `-` or space. */
  text: string;
  /** Line number in the pre-image (null for added lines). */
  oldLine: number | null;
  /** Line number in the post-image of this patch (null for deleted lines). */
  newLine: number | null;
}

export interface Hunk {
  /** The `@@ -a,b +c,d @@ ctx` line. */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied';

export interface FileDiff {
  /** Path before (null for new files). */
  oldPath: string | null;
  /** Path after (null for deleted files). */
  newPath: string | null;
  status: FileStatus;
  binary: boolean;
  oldMode: string | null;
  newMode: string | null;
  hunks: Hunk[];
  additions: number;
  deletions: number;
}

export type PatchKind =
  /** carries a diff and is not a reply */
  | 'patch'
  /** `0/N` of a series, or a no-diff message that starts a thread of patches */
  | 'cover'
  /** `Re:` mail; any diff it quotes is not a patch */
  | 'reply'
  /** anything else without a diff */
  | 'other';

/** A message understood as (possibly) a patch. */
export interface Patch {
  /** Stable key: Message-ID, commit id, or `source#index`. */
  key: string;
  kind: PatchKind;
  message: MailMessage;
  /** The Subject line as the user sees it, tags included. */
  subject: string;
  tags: SubjectTags;
  author: Person | null;
  date: string | null;
  /** The commit message: body text before the `---` line, trailers included. */
  commitMessage: string;
  trailers: Trailer[];
  diffstat: Diffstat | null;
  files: FileDiff[];
  /** `base-commit:` trailer after the diff, when given. */
  baseCommit: string | null;
  /** Recipients when known (To + Cc of mail, or SMTP headers from the hook); null when unknown. */
  recipients: Person[] | null;
}

export interface Series {
  /** Stable key for the series (cover's or first patch's key). */
  key: string;
  /** Title from the cover letter, else the first patch. */
  title: string;
  version: number;
  /** Declared total (M of N/M) when the parts agree; null for a single patch. */
  total: number | null;
  cover: Patch | null;
  /** Patch-kind messages, ordered by index (then input order). */
  patches: Patch[];
  /** Replies and other mail belonging to this thread. */
  replies: Patch[];
}

export type Severity = 'error' | 'warning' | 'info';

/** Per rule, in a config: switch it off, run it at its default severity ('on'), or at a fixed severity. */
export type RuleSetting = 'off' | 'on' | Severity;

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** What the JSON contract promises, plus where the finding sits in the series. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** One line a reader can take in at a glance (aim: at most 160 characters). */
  message: string;
  /**
   * What does not fit that line: the evidence, the model's reasoning, how to fix it. Shown by the
   * JSON (`detail`), SARIF and GitHub reports; absent when the message says it all.
   */
  detail?: string;
  /**
   * The finding says what a rule could not judge from what it was given (no base tree), not a
   * defect: the checkpatch format without --strict, which drops info, still says so in one line.
   */
  notChecked?: true;
  /** Subject line of the patch it is about, or null for series- and input-level findings. */
  patch: string | null;
  /** Path in the diff (post-image path), or null. */
  file: string | null;
  /** Line in the post-image of `file`, or null. */
  line: number | null;
  /** Key of the series it belongs to, or null for input-level findings. */
  series: string | null;
  /** Key of the patch, or null. */
  patchKey: string | null;
  /** The rule's message id (meta.messages) and the data it was filled with: what tests assert on. */
  messageId?: string;
  data?: Readonly<Record<string, string | number>>;
}

/** Everything one run read: the series, and what could not be read. */
export interface Collection {
  series: Series[];
  /** Messages that were neither patches nor part of a patch thread. */
  stray: Patch[];
  unreadable: UnreadableMessage[];
  /** Base of a git range, when the input was one. */
  gitBase: { repo: string; commit: string } | null;
}
