/**
 * Command-line options of the bench scripts, on Node's own `util.parseArgs`: one place that answers
 * `--help` with the usage and turns a mistyped option or a bad number into one line naming the
 * option and what to pass (exit code 2), instead of a stack trace or a silent run with defaults.
 *
 * @example
 * const opts = benchOptions('classify.js', { json: flag('print one JSON object'), posts: count(100_000, 'posts to classify') });
 * // node dist/bench/classify.js --posts 4000 --json  ->  { json: true, posts: 4000 }
 */
import { parseArgs } from 'node:util';

interface FlagSpec {
  kind: 'flag';
  help: string;
}
interface CountSpec {
  kind: 'count';
  fallback: number;
  help: string;
}
interface TextSpec {
  kind: 'text';
  help: string;
  /** Placeholder in the usage line (FILE, DIR). */
  value: string;
}
type Spec = FlagSpec | CountSpec | TextSpec;

/** A switch: true when given. */
export const flag = (help: string): FlagSpec => ({ kind: 'flag', help });
/** A whole number >= 1, `fallback` when not given. */
export const count = (fallback: number, help: string): CountSpec => ({ kind: 'count', fallback, help });
/** A string (a path), undefined when not given. */
export const text = (value: string, help: string): TextSpec => ({ kind: 'text', value, help });

type Values<S extends Record<string, Spec>> = {
  [K in keyof S]: S[K] extends FlagSpec ? boolean : S[K] extends CountSpec ? number : string | undefined;
};

/** Why the options were refused (the message names the option). */
export class BenchOptionError extends Error {}

/** The usage text of a script: one line per option. */
export function benchUsage(script: string, specs: Record<string, Spec>): string {
  const lines = Object.entries(specs).map(([name, s]) => {
    const left = s.kind === 'flag' ? `--${name}` : s.kind === 'count' ? `--${name} N` : `--${name} ${s.value}`;
    const right = s.kind === 'count' ? `${s.help} (default ${s.fallback})` : s.help;
    return `  ${left.padEnd(24)}${right}`;
  });
  return [`usage: node dist/bench/${script} [options]`, '', ...lines, `  ${'--help'.padEnd(24)}print this and exit`].join('\n');
}

/** Parses `argv` against `specs`; throws BenchOptionError on an unknown option or a bad value. */
export function parseBenchOptions<S extends Record<string, Spec>>(specs: S, argv: string[]): Values<S> | 'help' {
  const options: Record<string, { type: 'boolean' | 'string' }> = { help: { type: 'boolean' } };
  for (const [name, s] of Object.entries(specs)) options[name] = { type: s.kind === 'flag' ? 'boolean' : 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (err) {
    // parseArgs words its errors well ("Unknown option '--pots'"); its error code is not for users.
    throw new BenchOptionError((err as Error).message);
  }
  if (values.help) return 'help';
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(specs)) {
    const v = values[name];
    if (s.kind === 'flag') out[name] = v === true;
    else if (s.kind === 'text') out[name] = v;
    else if (v === undefined) out[name] = s.fallback;
    else {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new BenchOptionError(`--${name}: expected a whole number >= 1, got "${String(v)}"`);
      out[name] = n;
    }
  }
  return out as Values<S>;
}

/**
 * The options of this process (`process.argv`): prints the usage and exits 0 on `--help`, prints
 * the error and the usage on stderr and exits 2 on a bad option.
 */
export function benchOptions<S extends Record<string, Spec>>(script: string, specs: S): Values<S> {
  try {
    const parsed = parseBenchOptions(specs, process.argv.slice(2));
    if (parsed !== 'help') return parsed;
    console.log(benchUsage(script, specs));
    process.exit(0);
  } catch (err) {
    if (!(err instanceof BenchOptionError)) throw err;
    console.error(`${script}: ${err.message}\n\n${benchUsage(script, specs)}`);
    process.exit(2);
  }
}
