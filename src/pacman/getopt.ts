/**
 * glibc's getopt_long, as pacman uses it: a pure function over argv.
 *
 * Behaviour mirrored from glibc's posix/getopt.c (the library every Arch
 * pacman links against):
 * - short options cluster (`-Syu`); an option that takes an argument consumes
 *   the rest of its cluster, or else the next argv element whatever it is
 *   (`-b --` sets the argument to `--`);
 * - long options may be abbreviated to any unique prefix; an exact name beats
 *   longer names that start with it (`--print` vs `--print-format`); more than
 *   one prefix match is ambiguous (pacman's table has no two entries with the
 *   same value, so glibc's "same has_arg/flag/val" exemption never applies);
 * - `--name=value` only for options that take an argument; an optional
 *   argument is only ever taken in the `=` form;
 * - non-options are permuted behind the options (PERMUTE), unless
 *   POSIXLY_CORRECT is set, where the first non-option ends option parsing
 *   (REQUIRE_ORDER); `--` always ends option parsing; a lone `-` is a
 *   non-option.
 *
 * pacman calls getopt_long twice over the same argv (resetting optind to 1).
 * The first pass permutes argv so that options precede operands, and the
 * second pass then sees the same options in the same order, so one pass here
 * describes both.
 */

export type ArgumentKind = 'none' | 'required' | 'optional';

export interface LongOptionSpec {
  readonly name: string;
  readonly argument: ArgumentKind;
  /** What getopt_long returns for it: a short option letter or a symbolic code. */
  readonly code: string;
}

export interface ParsedOption {
  readonly code: string;
  /** The option's argument, when it has one. */
  readonly argument?: string;
  /** How pacman names the option in its "invalid option" messages: `-y` or `--refresh`. */
  readonly display: string;
}

export type GetoptResult =
  | { readonly ok: true; readonly options: readonly ParsedOption[]; readonly operands: readonly string[] }
  | { readonly ok: false; readonly message: string };

export interface GetoptSpec {
  /** The short options string, e.g. `ab:c` (no leading `+`, `-` or `:`). */
  readonly shortOptions: string;
  readonly longOptions: readonly LongOptionSpec[];
}

interface CompiledSpec {
  readonly shortArgument: ReadonlyMap<string, ArgumentKind>;
  readonly longOptions: readonly LongOptionSpec[];
  readonly exactLong: ReadonlyMap<string, LongOptionSpec>;
}

const compiledSpecs = new WeakMap<GetoptSpec, CompiledSpec>();

function compile(spec: GetoptSpec): CompiledSpec {
  let compiled = compiledSpecs.get(spec);
  if (compiled) return compiled;
  const shortArgument = new Map<string, ArgumentKind>();
  const letters = spec.shortOptions;
  for (let i = 0; i < letters.length; i++) {
    const letter = letters[i]!;
    if (letter === ':' || letter === ';') continue;
    let kind: ArgumentKind = 'none';
    if (letters[i + 1] === ':') {
      kind = letters[i + 2] === ':' ? 'optional' : 'required';
    }
    shortArgument.set(letter, kind);
  }
  const exactLong = new Map(spec.longOptions.map((option) => [option.name, option] as const));
  compiled = { shortArgument, longOptions: spec.longOptions, exactLong };
  compiledSpecs.set(spec, compiled);
  return compiled;
}

/** Looks up a long option the way glibc does: exact name first, then a unique prefix. */
function findLongOption(spec: CompiledSpec, name: string): LongOptionSpec | 'ambiguous' | undefined {
  const exact = spec.exactLong.get(name);
  if (exact) return exact;
  let found: LongOptionSpec | undefined;
  for (const option of spec.longOptions) {
    if (!option.name.startsWith(name)) continue;
    if (found) return 'ambiguous';
    found = option;
  }
  return found;
}

export function getoptLong(spec: GetoptSpec, args: readonly string[], options: { posixlyCorrect?: boolean } = {}): GetoptResult {
  const compiled = compile(spec);
  const parsed: ParsedOption[] = [];
  const operands: string[] = [];
  let index = 0;

  while (index < args.length) {
    const word = args[index]!;
    if (word === '--') {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (word.length < 2 || word[0] !== '-') {
      if (options.posixlyCorrect) {
        operands.push(...args.slice(index));
        break;
      }
      operands.push(word);
      index++;
      continue;
    }
    index++;

    if (word[1] === '-') {
      const body = word.slice(2);
      const equals = body.indexOf('=');
      const name = equals === -1 ? body : body.slice(0, equals);
      const option = findLongOption(compiled, name);
      if (option === 'ambiguous') return { ok: false, message: `option '${word}' is ambiguous` };
      if (!option) return { ok: false, message: `unrecognized option '${word}'` };
      if (equals !== -1) {
        if (option.argument === 'none') {
          return { ok: false, message: `option '--${option.name}' doesn't allow an argument` };
        }
        parsed.push({ code: option.code, argument: body.slice(equals + 1), display: `--${option.name}` });
      } else if (option.argument === 'required') {
        if (index >= args.length) return { ok: false, message: `option '--${option.name}' requires an argument` };
        parsed.push({ code: option.code, argument: args[index++]!, display: `--${option.name}` });
      } else {
        parsed.push({ code: option.code, display: `--${option.name}` });
      }
      continue;
    }

    for (let position = 1; position < word.length; position++) {
      const letter = word[position]!;
      const kind = compiled.shortArgument.get(letter);
      if (kind === undefined) return { ok: false, message: `invalid option -- '${letter}'` };
      const rest = word.slice(position + 1);
      if (kind === 'none') {
        parsed.push({ code: letter, display: `-${letter}` });
        continue;
      }
      if (rest !== '') {
        parsed.push({ code: letter, argument: rest, display: `-${letter}` });
      } else if (kind === 'optional') {
        parsed.push({ code: letter, display: `-${letter}` });
      } else if (index < args.length) {
        parsed.push({ code: letter, argument: args[index++]!, display: `-${letter}` });
      } else {
        return { ok: false, message: `option requires an argument -- '${letter}'` };
      }
      break;
    }
  }

  return { ok: true, options: parsed, operands };
}
