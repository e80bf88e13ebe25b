/**
 * The spec JSON Schema (src/spec/json-schema.ts, schema/spec.schema.json) against albench's own
 * validator, with ajv (draft-07) as the independent checker:
 * - the committed file is the generator's output, and `albench schema` prints it;
 * - every spec in experiments/ references it and is valid under it;
 * - at every place a spec has fields, the fields the schema allows are exactly those the
 *   validator allows. The validator is asked with an unknown field and names what it allows, so
 *   a field added to the validator but not to the schema fails here without anyone listing it;
 * - on the bad-spec corpus, the schema rejects every structural mistake (names, types, ranges,
 *   unknown fields, duplicates, empty axes); rules across fields or against the data are the
 *   validator's alone, and a spec the validator accepts is never rejected by the schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseSpecText } from '../../src/spec/parse.js';
import { SCHEMA_FILE, specJsonSchema, specJsonSchemaText } from '../../src/spec/json-schema.js';
import { validateSpec } from '../../src/spec/validate.js';
import { albench, requireBuild, ROOT } from '../e2e/cli.js';

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(specJsonSchema());
const schemaOk = (doc: unknown) => validate(doc) === true;
const validatorOk = (doc: unknown, source = join(ROOT, 'experiments', 'x.yaml')) => {
  try {
    validateSpec(doc, source);
    return true;
  } catch {
    return false;
  }
};
const validatorMessage = (doc: unknown) => {
  try {
    validateSpec(doc, join(ROOT, 'experiments', 'x.yaml'));
    return '';
  } catch (err) {
    return (err as Error).message;
  }
};

const EXPERIMENTS = join(ROOT, 'experiments');
const specs = readdirSync(EXPERIMENTS).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

describe('the spec JSON Schema', () => {
  it('is committed as generated, and albench schema prints it', () => {
    expect(readFileSync(join(ROOT, SCHEMA_FILE), 'utf8'), 'schema/spec.schema.json is stale: run npm run schema:update').toBe(specJsonSchemaText());
    requireBuild();
    const run = albench(['schema']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(specJsonSchemaText());
  });

  it.each(specs)('experiments/%s references the schema and is valid under it', (file) => {
    const text = readFileSync(join(EXPERIMENTS, file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/spec.schema.json');
    const doc = parseSpecText(text, join(EXPERIMENTS, file));
    expect(schemaOk(doc), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });
});

/** A valid spec to vary; every probe below changes one place of it. */
const base = () => ({
  name: 'probe',
  description: 'd',
  dataset: { name: 'synthetic', classes: 3, dims: 4, samples: 300 },
  model: 'mlp',
  matrix: { strategy: ['random', 'margin'], budget: 40, batchSize: 10, initialSize: 10, seed: [0, 1] },
  training: { epochs: 2, batchSize: 16, learningRate: 0.01 },
});
type Spec = Record<string, unknown>;

/**
 * The places where a spec has named fields, each as a way to put an object there. For an unknown
 * field `zzz`, the validator's message names the fields it allows at that place.
 */
const PLACES: Record<string, (obj: Record<string, unknown>) => Spec> = {
  root: (obj) => ({ ...base(), ...obj }) as Spec,
  matrix: (obj) => ({ ...base(), matrix: { ...base().matrix, ...obj } }) as Spec,
  training: (obj) => ({ ...base(), training: { ...base().training, ...obj } }) as Spec,
  dataset: (obj) => ({ ...base(), dataset: { ...base().dataset, ...obj } }) as Spec,
  'strategy (built-in with parameters)': (obj) => ({ ...base(), matrix: { ...base().matrix, strategy: [{ name: 'bald', ...obj }] } }) as Spec,
  'strategy (built-in without parameters)': (obj) => ({ ...base(), matrix: { ...base().matrix, strategy: [{ name: 'margin', ...obj }] } }) as Spec,
  'strategy (plugin module)': (obj) => ({ ...base(), matrix: { ...base().matrix, strategy: [{ module: '../test/fixtures/plugin/none.js', export: 'x', ...obj }] } }) as Spec,
  'strategy (command)': (obj) => ({ ...base(), matrix: { ...base().matrix, strategy: [{ name: 'py', command: ['python3', '../test/fixtures/strategies/numpy_margin.py'], ...obj }] } }) as Spec,
  'augmentation (strong)': (obj) => ({ ...base(), dataset: 'digits', matrix: { ...base().matrix, augmentation: [{ name: 'strong', ...obj }] } }) as Spec,
  'ssl (fixmatch)': (obj) => ({ ...base(), dataset: 'digits', matrix: { ...base().matrix, ssl: [{ name: 'fixmatch', ...obj }] } }) as Spec,
  'protocol (retrain)': (obj) => ({ ...base(), matrix: { ...base().matrix, protocol: [{ name: 'retrain', ...obj }] } }) as Spec,
  'representation (selfsup)': (obj) => ({ ...base(), dataset: 'digits', matrix: { ...base().matrix, representation: [{ name: 'selfsup', ...obj }] } }) as Spec,
  // No object form today: the validator names none, and the schema must refuse the object too.
  model: (obj) => ({ ...base(), model: { name: 'mlp', ...obj } }) as Spec,
};

/** Other forms of a place, for fields that apply only to some entries (csv's path, test, label). */
const VARIANTS: Record<string, ((obj: Record<string, unknown>) => Spec)[]> = {
  dataset: [(obj) => ({ ...base(), dataset: { name: 'csv', path: 'data/x.csv', ...obj } }) as Spec],
};

/** The field names the validator lists as allowed in its message about the unknown field `zzz`, or undefined. */
function allowedByValidator(doc: Spec): string[] | undefined {
  const line = validatorMessage(doc)
    .split('\n')
    .find((l) => /(^|[\s.\]])zzz: unknown (field|parameter)/.test(l));
  const m = line && /allowed(?: fields)?: ([^;]+)$/.exec(line.trim());
  return m ? m[1].split(', ').map((s) => s.trim()) : undefined;
}

/** Values that between them are valid for every field (a field is allowed when one of them passes). */
const PROBE_VALUES: readonly unknown[] = [1, 2, 5, 10, 0.5, 0.1, 0.01, 'x', 'x.js', 'standardize', '0'.repeat(64), true, ['probs'], ['python3', 'x.py']];

/**
 * The fields the schema allows at the place: those that some value makes valid in some variant of
 * it, or that the schema faults only for their value (structured fields: dataset, matrix), never
 * as an unknown property.
 */
function allowedBySchema(variants: readonly ((obj: Record<string, unknown>) => Spec)[], candidates: readonly string[]): string[] {
  const notUnknown = (doc: Spec, key: string) => {
    if (schemaOk(doc)) return true;
    return !(validate.errors ?? []).some((e) => e.keyword === 'additionalProperties' && (e.params as { additionalProperty?: string }).additionalProperty === key);
  };
  return candidates.filter((key) => variants.some((place) => PROBE_VALUES.some((v) => notUnknown(place({ [key]: v }), key))));
}

describe('schema and validator agree on the fields at every place', () => {
  it.each(Object.keys(PLACES))('%s', (placeName) => {
    const place = PLACES[placeName];
    const fromValidator = allowedByValidator(place({ zzz: 1 }));
    expect(schemaOk(place({ zzz: 1 })), 'the schema accepts an unknown field').toBe(false);
    if (fromValidator === undefined) {
      // The validator takes no object here, so the schema must not either.
      expect(validatorOk(place({}))).toBe(false);
      expect(schemaOk(place({}))).toBe(false);
      return;
    }
    const candidates = [...new Set([...fromValidator, 'zzz', 'name'])];
    const fromSchema = allowedBySchema([place, ...(VARIANTS[placeName] ?? [])], candidates);
    // name is the entry's own key at the entry places; the validator lists it in some and not others.
    const clean = (list: readonly string[]) => list.filter((k) => k !== 'name').sort();
    expect(clean(fromSchema), `fields the validator allows at ${placeName} but the schema does not (or the reverse)`).toEqual(clean(fromValidator));
  });

  it('would catch a field the schema lacks', () => {
    // The check above, against a schema without training.learningRate: the sets differ.
    const schema = specJsonSchema() as { properties: { training: { properties: Record<string, unknown> } } };
    const { learningRate: _dropped, ...rest } = schema.properties.training.properties;
    const crippled = ajv.compile({ ...schema, $id: 'crippled', properties: { ...schema.properties, training: { ...schema.properties.training, properties: rest } } });
    const fromValidator = allowedByValidator(PLACES.training({ zzz: 1 }))!;
    const fromCrippled = fromValidator.filter((key) =>
      PROBE_VALUES.some((v) => crippled(PLACES.training({ [key]: v })) || !(crippled.errors ?? []).some((e) => e.keyword === 'additionalProperties')),
    );
    expect(fromValidator).toContain('learningRate');
    expect(fromCrippled).not.toContain('learningRate');
  });
});

const CORPUS = join(ROOT, 'test', 'spec', 'bad-specs');
/** Categories that are rules across fields or against the data (or not a document at all). */
const VALIDATOR_ONLY = new Set(['budget', 'wrong value', 'yaml syntax', 'json syntax']);
const badSpecs = readdirSync(CORPUS)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort()
  .map((file) => {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    const header = file.endsWith('.json') ? readFileSync(join(CORPUS, file.replace(/\.json$/, '.expect')), 'utf8') : text;
    return { file, text, category: /^# category: (.*)$/m.exec(header)![1] };
  });

describe('schema and validator agree on the bad-spec corpus', () => {
  it.each(badSpecs.filter((b) => !VALIDATOR_ONLY.has(b.category)))('$file ($category): both reject it', ({ file, text }) => {
    const doc = parseSpecText(text, join(CORPUS, file));
    expect(validatorOk(doc, join(CORPUS, file))).toBe(false);
    expect(schemaOk(doc), `the schema accepts ${file}`).toBe(false);
  });

  it('every bad spec the schema accepts is a cross-field or data rule (checked by bad-specs.test.ts through the CLI)', () => {
    const accepted = badSpecs.filter((b) => !b.category.includes('syntax') && schemaOk(parseSpecText(b.text, join(CORPUS, b.file))));
    expect(accepted.length).toBeGreaterThan(0);
    for (const b of accepted) expect(VALIDATOR_ONLY.has(b.category), `${b.file} (${b.category})`).toBe(true);
  });

  it('a spec the validator accepts is never rejected by the schema (the probes above, valid forms)', () => {
    const valid: Spec[] = [
      base(),
      PLACES['strategy (built-in with parameters)']({ passes: 5 }),
      PLACES['augmentation (strong)']({ m: 5 }),
      PLACES['protocol (retrain)']({ weightDecay: 0 }),
      PLACES['protocol (retrain)']({ validationFraction: 0.2, patience: 3 }),
      PLACES['representation (selfsup)']({ epochs: 2 }),
      PLACES['strategy (command)']({ needs: ['probs', 'embeddings'], timeout: 30 }),
      PLACES.dataset({ imbalance: 10, poolSize: 100, normalize: 'standardize' }),
    ];
    for (const doc of valid) {
      expect(validatorOk(doc), validatorMessage(doc)).toBe(true);
      expect(schemaOk(doc), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});
