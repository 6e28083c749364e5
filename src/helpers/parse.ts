/**
 * yay's and paru's own command-line parsers, as pure functions over argv.
 * Neither is getopt (src/pacman/getopt.ts): no abbreviations, no
 * permutation rules to speak of (every word that does not start with `-` is
 * a target), and each has its quirks, mirrored here:
 *
 * yay (pkg/settings/parser/parser.go, Arguments.Parse()):
 * - a long option with `=` takes the value whatever the option
 *   (parseLongOption); one that takes an argument (hasParam) without `=`
 *   takes the next word, or "" at the end;
 * - in a cluster, `b` and `r` take the rest of it, or the next word
 *   (parseShortOption); a `-` in a cluster, or alone, is the "targets from
 *   stdin" option;
 * - names are looked up the same way long or short (`--S` is -S);
 * - values are split on commas, each part one occurrence (`--ignore a,b`);
 * - no operation: with targets it is -Y, without it is -Syu.
 *
 * paru (src/config.rs Config::parse_args(), src/command_line.rs parse_arg()
 * and handle_arg()):
 * - no arguments at all is `-Syu`;
 * - `-` and every word after `--` are targets;
 * - an option that takes an argument (Required) takes `=value`, the rest of
 *   its cluster, or the next word; it is an error at the end; an Optional
 *   one takes a value only as `--name=value`; `=value` on an option without
 *   one is an error;
 * - each operation letter counts, so `-SS` is two operations (an error).
 */
import { helperSpec, type HelperArgument, type HelperName, type HelperOperation, type HelperSpec } from './options.js';

export interface HelperOption {
  /** As given: `c` or `clean` (both helpers keep the spelling and test both). */
  readonly name: string;
  /** The argument, when the option has one (yay: "" for options without). */
  readonly value?: string;
}

export interface ParsedHelperCommand {
  readonly helper: HelperName;
  readonly operation?: HelperOperation;
  /** Every option but the operation, in order; yay's comma-split values are one entry each. */
  readonly options: readonly HelperOption[];
  readonly targets: readonly string[];
  /** A `-`: the helper reads (more) targets from its standard input. */
  readonly readsTargetsFromStdin: boolean;
  /** The helper filled in the operation: `yay`/`paru` alone is -Syu, `yay foo`/`paru foo` search and install. */
  readonly implied?: 'sysupgrade' | 'targets';
}

export type HelperParse =
  | { readonly ok: true; readonly command: ParsedHelperCommand }
  | { readonly ok: false; readonly problem: string };

class ParseProblem {
  constructor(readonly problem: string) {}
}
const fail = (problem: string): never => {
  throw new ParseProblem(problem);
};

export function parseHelperCommand(helper: HelperName, args: readonly string[]): HelperParse {
  try {
    return { ok: true, command: helper === 'yay' ? parseYay(args) : parseParu(args) };
  } catch (error) {
    if (error instanceof ParseProblem) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** yay looks a name up the same way whether it came as `-x` or `--x` (isArg()). */
function yayArgument(spec: HelperSpec, name: string): HelperArgument | undefined {
  return name.length === 1 ? spec.shortOptions.get(name) : spec.longOptions.get(name);
}

function parseYay(args: readonly string[]): ParsedHelperCommand {
  const spec = helperSpec('yay');
  let operation: HelperOperation | undefined;
  const options: HelperOption[] = [];
  const targets: string[] = [];
  let stdin = false;
  let endOfOptions = false;

  // Arguments.addParam(): unknown names are errors, operations count once, values split on ",".
  const addParam = (name: string, value: string) => {
    if (name === '-') {
      stdin = true;
      return;
    }
    if (yayArgument(spec, name) === undefined) fail(`invalid option '${name}'`);
    const op = spec.operations.get(name);
    if (op !== undefined) {
      if (operation !== undefined) fail('only one operation may be used at a time');
      operation = op;
      return;
    }
    for (const part of value.split(',')) options.push({ name, value: part });
  };

  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    if (endOfOptions) {
      targets.push(word);
    } else if (word === '--') {
      endOfOptions = true;
    } else if (word.startsWith('--')) {
      const body = word.slice(2);
      const equals = body.indexOf('=');
      if (equals !== -1) addParam(body.slice(0, equals), body.slice(equals + 1));
      else if (yayArgument(spec, body) === 'required') addParam(body, args[++index] ?? '');
      else addParam(body, '');
    } else if (word.startsWith('-')) {
      if (word === '-') {
        stdin = true;
        continue;
      }
      const letters = word.slice(1);
      for (let position = 0; position < letters.length; position++) {
        const letter = letters[position]!;
        if (yayArgument(spec, letter) === 'required') {
          const rest = letters.slice(position + 1);
          addParam(letter, rest !== '' ? rest : args[++index] ?? '');
          break;
        }
        addParam(letter, '');
      }
    } else {
      targets.push(word);
    }
  }

  let implied: ParsedHelperCommand['implied'];
  if (operation === undefined) {
    if (targets.length > 0) {
      operation = 'yay';
      implied = 'targets';
    } else {
      // parseShortOption("-Syu", "")
      operation = 'sync';
      options.push({ name: 'y', value: '' }, { name: 'u', value: '' });
      implied = 'sysupgrade';
    }
  }
  return { helper: 'yay', operation, options, targets, readsTargetsFromStdin: stdin, ...(implied ? { implied } : {}) };
}

function parseParu(givenArgs: readonly string[]): ParsedHelperCommand {
  const spec = helperSpec('paru');
  // run2(): `if args.is_empty() { config.parse_args(["-Syu"]) }`.
  const implied = givenArgs.length === 0 ? 'sysupgrade' as const : undefined;
  const args = implied ? ['-Syu'] : givenArgs;
  let operation: HelperOperation | undefined;
  let operations = 0;
  const options: HelperOption[] = [];
  const targets: string[] = [];
  let endOfOptions = false;

  // handle_arg(): value checks, then the option's effect.
  const handle = (name: string, long: boolean, value: string | undefined, forced: boolean) => {
    const display = long ? `--${name}` : `-${name}`;
    const argument = long ? spec.longOptions.get(name) : spec.shortOptions.get(name);
    if (argument === 'required' && value === undefined) fail(`option ${display} expects a value`);
    if (argument === undefined) fail(`unknown option ${display}`);
    if (argument === 'none' && forced) fail(`option ${display} does not allow a value`);
    const kept = argument === 'required' || forced ? value : undefined;
    const op = spec.operations.get(name);
    if (op !== undefined) {
      operation = op;
      operations++;
      if (operations > 1) fail('only one operation may be used at a time');
      return;
    }
    options.push(kept === undefined ? { name } : { name, value: kept });
  };

  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    const next = args[index + 1];
    if (word === '-' || endOfOptions) {
      targets.push(word);
    } else if (word === '--') {
      endOfOptions = true;
    } else if (word.startsWith('--')) {
      const body = word.slice(2);
      const equals = body.indexOf('=');
      const name = equals === -1 ? body : body.slice(0, equals);
      if (equals !== -1) {
        handle(name, true, body.slice(equals + 1), true);
      } else if (spec.longOptions.get(name) === 'required') {
        handle(name, true, next, false);
        index++;
      } else {
        handle(name, true, next, false);
      }
    } else if (word.startsWith('-')) {
      const letters = word.slice(1);
      for (let position = 0; position < letters.length; position++) {
        const letter = letters[position]!;
        if (spec.shortOptions.get(letter) === 'required') {
          const rest = letters.slice(position + 1);
          if (rest === '') {
            handle(letter, false, next, false);
            index++;
          } else {
            handle(letter, false, rest, false);
          }
          break;
        }
        handle(letter, false, undefined, false);
      }
    } else {
      targets.push(word);
    }
  }

  const stdin = targets.includes('-');
  return {
    helper: 'paru',
    ...(operation === undefined ? {} : { operation }),
    options,
    targets: stdin ? targets.filter((target, index) => target !== '-' || index !== targets.indexOf('-')) : targets,
    readsTargetsFromStdin: stdin,
    ...(implied ? { implied } : {}),
  };
}
