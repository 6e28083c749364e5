/**
 * Where pacman 7 parses differently from 6.0.2, one row per command line and
 * variant (src/pacman/pacman.c of 7.0.0, 7.1.0 and master past 7.1.0). Verdicts
 * read as in pacman-edge-cases.ts. Unit-tested against the model, and every
 * line is replayed against each real build by the differential test.
 */
import type { PacmanVariant } from '../../src/pacman/options.js';

export const PACMAN7_EDGE_CASES: readonly (readonly [line: string, variant: PacmanVariant, expected: string])[] = [
  // parsearg_global OP_DISABLESANDBOX: new in 7.0.0.
  ['-S --disable-sandbox guardtest', '6.0', "error: unrecognized option '--disable-sandbox'"],
  ['-S --disable-sandbox guardtest', '7.0', 'lock'],
  ['-S --disable-sandbox guardtest', '7.1.0', 'lock'],
  ['-S --disable-sandbox guardtest', '7.1.0+2df7c407', 'lock'],
  // OP_DISABLESANDBOXFILESYSTEM / OP_DISABLESANDBOXSYSCALLS: handled from 7.1.0,
  // but in getopt's table only from 2df7c407, so the tag does not know the names.
  ['-S --disable-sandbox-filesystem guardtest', '7.0', "error: unrecognized option '--disable-sandbox-filesystem'"],
  ['-S --disable-sandbox-filesystem guardtest', '7.1.0', "error: unrecognized option '--disable-sandbox-filesystem'"],
  ['-S --disable-sandbox-filesystem guardtest', '7.1.0+2df7c407', 'lock'],
  ['-S --disable-sandbox-syscalls guardtest', '7.1.0', "error: unrecognized option '--disable-sandbox-syscalls'"],
  ['-S --disable-sandbox-syscalls guardtest', '7.1.0+2df7c407', 'lock'],
  ['-Q --disable-sandbox-sys', '7.1.0+2df7c407', 'read'],
  // `--disable-s` is a unique prefix of --disable-sandbox in 7.0 and on the 7.1.0 tag; 2df7c407 makes it ambiguous.
  ['-S --disable-s guardtest', '7.0', 'lock'],
  ['-S --disable-s guardtest', '7.1.0', 'lock'],
  ['-S --disable-s guardtest', '7.1.0+2df7c407', "error: option '--disable-s' is ambiguous"],
  ['-S --disable-sandbox guardtest', '7.1.0+2df7c407', 'lock'],
  ['-S --disable guardtest', '7.1.0', "error: option '--disable' is ambiguous"],
  // OP_ASK: 7.x parses with strtol and refuses anything but a whole number <= UINT_MAX.
  ['-S --ask 4 guardtest', '7.1.0', 'lock'],
  ['-S --ask=-1 guardtest', '7.1.0', 'lock'],
  ['-S --ask x guardtest', '7.0', "error: 'x' is not a valid ask level"],
  ['-S --ask x guardtest', '7.1.0', "error: 'x' is not a valid ask level"],
  ['-S --ask 4294967296 guardtest', '7.1.0+2df7c407', "error: '4294967296' is not a valid ask level"],
  ['-S --ask 4294967295 guardtest', '7.1.0+2df7c407', 'lock'],
  ['-S --ask x guardtest', '6.0', 'lock'],
  // OP_DEBUG: 6.0 uses (unsigned short)atoi(), 7.x strtol() on the whole argument.
  ['-S --debug=1x guardtest', '6.0', 'lock'],
  ['-S --debug=1x guardtest', '7.0', "error: '1x' is not a valid debug level"],
  ['-S --debug=1x guardtest', '7.1.0', "error: '1x' is not a valid debug level"],
  ['-S --debug=65537 guardtest', '6.0', 'lock'],
  ['-S --debug=65537 guardtest', '7.1.0+2df7c407', "error: '65537' is not a valid debug level"],
  ['-S --debug=\t2 guardtest', '7.1.0', 'lock'],
  ['-S --debug=+2 guardtest', '7.0', 'lock'],
  ['-S --debug= guardtest', '7.1.0', "error: '' is not a valid debug level"],
];

/**
 * The command lines of issue 13: on the 7.1.0 tag `--disable-s…` abbreviates
 * --disable-sandbox and they take the lock; with 2df7c407 they are ambiguous.
 * Both builds print "Pacman v7.1.0", so the guard must refuse them with either.
 */
export const DISABLE_SANDBOX_ABBREVIATIONS: readonly string[] = [
  '-S --disable-s guardtest',
  '-Syu --disable-sa',
  '-R --disable-s guardtest-dep',
  '-U --disable-s x.pkg.tar.zst',
  '--disable-s -S guardtest',
  '-Sy --disable-san',
  '-Su --disable-sand',
  '-Sc --disable-sandb',
  '-D --asdeps --disable-sandbo guardtest-dep',
  '-Fy --disable-s',
  '-Rns --disable-sa guardtest-dep',
  '-Sw --disable-s guardtest',
];
