// Build step: validate rules/model/*.yaml once and leave dist/model-snapshot.json, so that
// every run loads the model with a JSON.parse instead of a YAML parse and a schema compile.
import { writeModelSnapshot } from '../dist/src/model/load.js';

try {
  writeModelSnapshot();
} catch (err) {
  process.stderr.write(`model: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
