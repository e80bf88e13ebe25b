/**
 * The bad-spec corpus (test/spec/bad-specs/): every malformed spec is refused by the built CLI
 * with exit code 2, exactly one issue naming the field path (and, for syntax errors, the line),
 * the message the file's header expects, and nothing written. Each file's header says
 *   # category: …   # path: <field path as printed>   # expect: <regex the message must match>
 * (for .json specs, which cannot hold comments, a sibling .expect file holds the same lines).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireBuild, ROOT, tempDir } from '../e2e/cli.js';

const CORPUS = join(ROOT, 'test', 'spec', 'bad-specs');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml') || f.endsWith('.json')).sort();

interface Case {
  readonly file: string;
  readonly category: string;
  readonly path: string;
  readonly expect: RegExp;
}

function header(file: string): Case {
  const source = file.endsWith('.json') ? file.replace(/\.json$/, '.expect') : file;
  const text = readFileSync(join(CORPUS, source), 'utf8');
  const field = (name: string) => {
    const m = new RegExp(`^# ${name}: (.*)$`, 'm').exec(text);
    if (!m) throw new Error(`${source}: header "# ${name}:" missing`);
    return m[1];
  };
  return { file, category: field('category'), path: field('path'), expect: new RegExp(field('expect')) };
}

const cases = files.map(header);

function runCli(args: string[]): Promise<{ status: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the bad-spec corpus', () => {
  const dir = tempDir('bad-specs');
  const outcomes = new Map<string, { status: number | null; stderr: string; results: string }>();

  beforeAll(async () => {
    requireBuild();
    // Four CLIs at a time: each spends most of its ~1 s on start-up.
    const queue = [...cases];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const results = join(dir, c.file);
          const run = await runCli(['run', join(CORPUS, c.file), '--results', results]);
          outcomes.set(c.file, { status: run.status, stderr: run.stderr, results });
        }
      }),
    );
  }, 240_000);

  it('has at least 40 specs covering every category the issue lists', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const categories = new Set(cases.map((c) => c.category));
    for (const needed of ['wrong type', 'unknown strategy', 'budget', 'empty axis', 'duplicate', 'unknown key', 'yaml syntax', 'nan/infinity', 'seed range']) {
      expect(categories, needed).toContain(needed);
    }
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s: exit 2, one issue at its field path, nothing written', (_file, c) => {
    const outcome = outcomes.get(c.file)!;
    expect(outcome.status, outcome.stderr).toBe(2);
    const issues = outcome.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(issues, outcome.stderr).toHaveLength(1);
    expect(issues[0].startsWith(`  - ${c.path}: `), `${issues[0]} should name ${c.path}`).toBe(true);
    expect(issues[0]).toMatch(c.expect);
    expect(outcome.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(existsSync(outcome.results)).toBe(false);
  });
});
