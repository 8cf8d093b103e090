// Build step: compile schema/zdcheck-config.schema.json once into dist/config-validate.cjs, so
// that reading a config file loads a small module instead of ajv and a schema compile.
import { writeCompiledSchema } from '../dist/src/config/schema.js';

try {
  writeCompiledSchema();
} catch (err) {
  process.stderr.write(`config schema: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
