/**
 * Arguments of the client commands: `--name value`, `--name=value`, boolean `--flag`, positionals,
 * and everything after a bare `--` kept untouched (the command `iamd exec` runs). An unknown option
 * is a usage error, so a typo never silently changes what a command does.
 */
import { UsageError } from '../server/config.js';

export interface ParsedArgs {
  flags: Map<string, string>;
  positionals: string[];
  /** the words after `--`; undefined when there was no `--` */
  rest: string[] | undefined;
}

export interface ArgSpec {
  values: ReadonlySet<string>;
  booleans: ReadonlySet<string>;
}

export function parseArgs(args: readonly string[], spec: ArgSpec): ParsedArgs {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') return { flags, positionals, rest: args.slice(index + 1) };
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
    if (spec.booleans.has(name)) {
      if (equals >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, 'true');
    } else if (spec.values.has(name)) {
      const value = equals >= 0 ? arg.slice(equals + 1) : args[++index];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option: --${name}`);
    }
  }
  return { flags, positionals, rest: undefined };
}
