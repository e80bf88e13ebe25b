import type { Argv, CommandModule } from 'yargs';
import { SCHEMA_FILE, specJsonSchemaText } from '../spec/json-schema.js';

export const schemaCommand: CommandModule<object, object> = {
  command: 'schema',
  describe: 'Print the JSON Schema of study specs (editors complete and check fields with it)',
  builder: (y: Argv) =>
    y
      .example('$0 schema > spec.schema.json', 'then start a spec with: # yaml-language-server: $schema=spec.schema.json')
      .epilogue(`The package ships the same file as ${SCHEMA_FILE}; the specs in experiments/ reference it.`),
  handler: () => {
    process.stdout.write(specJsonSchemaText());
  },
};
