/**
 * fnmatch(3) without flags, as libalpm matches hook Targets: `*` and `?`
 * match any character including '/', `[...]` classes with `!`/`^` negation
 * and ranges, backslash escapes. Compiled to a RegExp.
 */
export function fnmatchToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '\\' && index + 1 < pattern.length) source += escapeRegExp(pattern[++index]!);
    else if (char === '[') {
      const end = classEnd(pattern, index);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(index + 1, end);
      let negated = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negated = true;
        body = body.slice(1);
      }
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      index = end;
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, 's');
}

/** Index of the `]` closing the class opened at `start`, or -1. A `]` right after `[`, `[!` or `[^` is literal. */
function classEnd(pattern: string, start: number): number {
  let index = start + 1;
  if (pattern[index] === '!' || pattern[index] === '^') index++;
  if (pattern[index] === ']') index++;
  const end = pattern.indexOf(']', index);
  return end;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * libalpm's _alpm_fnmatch_patterns: the last pattern that matches decides;
 * a pattern starting with `!` excludes. True when the string is selected.
 */
export function matchesTargets(patterns: readonly string[], text: string): boolean {
  for (let index = patterns.length - 1; index >= 0; index--) {
    let pattern = patterns[index]!;
    const inverted = pattern.startsWith('!');
    if (inverted || pattern.startsWith('\\')) pattern = pattern.slice(1);
    if (fnmatchToRegExp(pattern).test(text)) return !inverted;
  }
  return false;
}
