// A progress line on stderr while a large input is read. Only on a terminal (a log or a pipe
// gets nothing), only once the input proves large, and redrawn at most ten times a second.

export interface Progress {
  update(messagesRead: number): void;
  /** Clears the line, if one was drawn. */
  done(): void;
}

export interface ProgressOptions {
  /** Messages read before the line first appears. */
  threshold?: number;
  /** Milliseconds between redraws. */
  interval?: number;
  now?: () => number;
}

const SILENT: Progress = { update: () => {}, done: () => {} };

export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  enabled: boolean,
  options: ProgressOptions = {},
): Progress {
  if (!enabled || stream.isTTY !== true) return SILENT;
  const threshold = options.threshold ?? 50;
  const interval = options.interval ?? 100;
  const now = options.now ?? Date.now;
  let drawn = false;
  let last = -Infinity;
  return {
    update(n) {
      if (n < threshold) return;
      const t = now();
      if (t - last < interval) return;
      last = t;
      drawn = true;
      stream.write(`\r\x1b[Kzdcheck: ${n} messages read`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
