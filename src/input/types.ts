// What the command line asks to read. Readers turn these into one Collection.

export type InputSpec =
  /** an mbox, a single patch / .eml file, or a directory of format-patch files */
  | { kind: 'path'; path: string }
  /** `-` */
  | { kind: 'stdin' }
  /** mail text produced in memory (git format-patch output for --git), named by `source` */
  | { kind: 'buffer'; source: string; data: Buffer; gitBase?: { repo: string; commit: string } };
