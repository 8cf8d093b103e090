// An error the user caused (unreadable file, bad flag, unknown rule id). The CLI prints its
// message as one line and exits 2. Anything else that escapes is a bug in zdcheck.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
