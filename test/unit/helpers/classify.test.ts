import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/exit-codes.js';
import { classifyHelperCommand, pacmanArgsFor } from '../../../src/helpers/classify.js';
import { decideHelper } from '../../../src/helpers/decide.js';
import { HELPER_NAMES, helperSpec, type HelperName } from '../../../src/helpers/options.js';
import { parseHelperCommand } from '../../../src/helpers/parse.js';
import { parsePacmanCommand } from '../../../src/pacman/model.js';
import { PACMAN_VARIANTS, getoptSpecFor } from '../../../src/pacman/options.js';
import type { Engagement } from '../../../src/policy/decide.js';
import { helperRefusalText } from '../../../src/policy/refusal.js';
import { checkoutHelperShimPath, renderCheckoutHelperShim } from '../../../src/shim/write-checkout-shim.js';

const words = (line: string) => line.split(' ').filter(Boolean);
const classify = (helper: HelperName, line: string) => classifyHelperCommand(helper, words(line));

/** [command line, effect, redirectable (the redirect policy lets it run)] */
type Case = readonly [line: string, effect: 'read-only' | 'mutating', redirectable?: boolean];

const YAY: readonly Case[] = [
  // Read-only: yay's own searches and listings, PKGBUILDs, news, its caches.
  ['yay -Ss foo', 'read-only'],
  ['yay -Ssq foo', 'read-only'],
  ['yay -Ssy foo', 'read-only'], // handleSync() searches before it looks at -y
  ['yay -Si foo', 'read-only'],
  ['yay -Sii foo', 'read-only'],
  ['yay -Sl', 'read-only'],
  ['yay -Sl aur', 'read-only'],
  ['yay -Sg gnome', 'read-only'],
  ['yay -Sp foo', 'read-only'],
  ['yay -Sup', 'read-only'],
  ['yay -S', 'read-only'], // no targets, no -u/-y: handleSync() returns
  ['yay -G foo', 'read-only'],
  ['yay -Gf foo bar', 'read-only'],
  ['yay -Gp foo', 'read-only'],
  ['yay --getpkgbuild foo', 'read-only'],
  ['yay -Ps', 'read-only'],
  ['yay -Pw', 'read-only'],
  ['yay -Pww', 'read-only'],
  ['yay -Pc', 'read-only'],
  ['yay -Pg', 'read-only'],
  ['yay -Pd', 'read-only'],
  ['yay --show --stats', 'read-only'],
  ['yay -Y --gendb', 'read-only'],
  ['yay -Y', 'read-only'],
  ['yay -Wv foo', 'read-only'],
  ['yay -Wu foo', 'read-only'],
  ['yay --web --vote foo', 'read-only'],
  ['yay -B .', 'read-only'], // handleBuild() does nothing without -i
  ['yay -Q', 'read-only'],
  ['yay -Qua', 'read-only'],
  ['yay -Qu', 'read-only'],
  ['yay -Qdtq', 'read-only'],
  ['yay -Qi foo', 'read-only'],
  ['yay -Fl foo', 'read-only'],
  ['yay -T foo', 'read-only'],
  ['yay -Dk', 'read-only'],
  ['yay -Rp foo', 'read-only'],
  ['yay -Sca', 'read-only'], // -a: only yay's AUR build cache
  ['yay -c', 'read-only'], // -Syuc: pacman rejects --clean with --refresh before anything
  ['yay -R', 'read-only'], // pacman: no targets
  ['yay -V', 'read-only'],
  ['yay -h', 'read-only'],
  ['yay -Sh', 'read-only'],
  ['yay -Syu --help', 'read-only'],
  ['yay --aururl https://aur.example -Ss foo', 'read-only'],
  ['yay --aururl=https://aur.example -Si foo', 'read-only'],
  ['yay --sortby votes --searchby name -Ss foo', 'read-only'],
  ['yay --config /etc/pacman.conf -Ss foo', 'read-only'],
  ['yay -Ss -- -foo', 'read-only'],
  ['yay -Gp --builddir /tmp/b foo', 'read-only'],
  // Mutating: installs, upgrades, refreshes, removals.
  ['yay', 'mutating', false], // -Syu
  ['yay --noconfirm', 'mutating', false], // -Syu
  ['yay --gendb', 'mutating', false], // no operation: -Syu --gendb, an upgrade
  ['yay foo', 'mutating', true], // -Y: the number menu, then install
  ['yay -- foo', 'mutating', true],
  ['yay --aur foo', 'mutating', true],
  ['yay -Y foo bar', 'mutating', true],
  ['yay -Syu', 'mutating', false],
  ['yay -Syyu', 'mutating', false],
  ['yay -Su', 'mutating', false],
  ['yay -Sua', 'mutating', false],
  ['yay -Syu --devel', 'mutating', false],
  ['yay -Sy', 'mutating', false],
  ['yay -Sy foo', 'mutating', false],
  ['yay -S foo', 'mutating', true],
  ['yay -S foo bar --needed', 'mutating', true],
  ['yay -S --noconfirm --answerdiff None --answerclean All foo', 'mutating', true],
  ['yay -S --aururl https://aur.example foo', 'mutating', true],
  ['yay -S --mflags --skippgpcheck foo', 'mutating', true],
  ['yay -Sa foo', 'mutating', true],
  ['yay -SN foo', 'mutating', true],
  ['yay -S --asdeps foo', 'mutating', true],
  ['yay -S --asdeps --asexplicit foo', 'mutating', false], // yay builds; pacman rejects the pair at the end
  ['yay -Sw foo', 'mutating', false],
  ['yay -S -', 'mutating', true], // targets from stdin
  ['yay -Siy foo', 'mutating', false], // pacman -Siy refreshes
  ['yay -Sly', 'mutating', false],
  ['yay -Sc', 'mutating', false],
  ['yay -Scc', 'mutating', false],
  ['yay -ScaN', 'mutating', false],
  ['yay -Yc', 'mutating', false],
  ['yay -Ycc', 'mutating', false],
  ['yay -Y --clean', 'mutating', false],
  ['yay -Bi .', 'mutating', true],
  ['yay -Bi ./foo ./bar', 'mutating', true],
  ['yay -R foo', 'mutating', false],
  ['yay -Rns foo', 'mutating', false],
  ['yay -U foo.pkg.tar.zst', 'mutating', true],
  ['yay -D --asdeps foo', 'mutating', false],
  ['yay -Fy', 'mutating', false],
  ['yay --root /mnt -S foo', 'mutating', true], // which system: decided with the paths, below
  // Unknown: fail closed.
  ['yay --foo -Ss x', 'mutating', false],
  ['yay -Ss --sysupgrad x', 'mutating', false], // no abbreviations
  ['yay -SQ', 'mutating', false],
  ['yay -Z', 'mutating', false],
  ['yay -B --install .', 'mutating', false],
];

const PARU: readonly Case[] = [
  ['paru -Ss foo', 'read-only'],
  ['paru --aururl x -Ss foo', 'read-only'],
  ['paru --aururl=https://aur.example -Ss foo', 'read-only'],
  ['paru -Ssy foo', 'read-only'],
  ['paru -Ss --limit 5 --sortby votes foo', 'read-only'],
  ['paru -Si foo', 'read-only'],
  ['paru -Sl', 'read-only'],
  ['paru -Sla', 'read-only'],
  ['paru -Sg gnome', 'read-only'],
  ['paru -Sp foo', 'read-only'],
  ['paru -S', 'read-only'],
  ['paru -Gp foo', 'read-only'],
  ['paru -G foo', 'read-only'],
  ['paru -Gc foo', 'read-only'],
  ['paru --getpkgbuild --print foo', 'read-only'],
  ['paru -Pw', 'read-only'],
  ['paru -Pww', 'read-only'],
  ['paru -Ps', 'read-only'],
  ['paru -Po foo', 'read-only'],
  ['paru -Pc', 'read-only'],
  ['paru --show --news', 'read-only'],
  ['paru --gendb', 'read-only'],
  ['paru --noconfirm', 'read-only'], // no operation, no targets: paru rejects it
  ['paru -Qu', 'read-only'],
  ['paru -Qua', 'read-only'],
  ['paru -Qs --interactive foo', 'read-only'],
  ['paru -Qm', 'read-only'],
  ['paru -Ta foo', 'read-only'],
  ['paru -T foo', 'read-only'],
  ['paru -Fl foo', 'read-only'],
  ['paru -Dk', 'read-only'],
  ['paru -Rp foo', 'read-only'],
  ['paru -L', 'read-only'],
  ['paru -Ll', 'read-only'],
  ['paru -Lq', 'read-only'],
  ['paru -C', 'read-only'], // the build chroot, not this system
  ['paru -Cu', 'read-only'],
  ['paru -Ci foo', 'read-only'],
  ['paru -C --print', 'read-only'],
  ['paru -B', 'read-only'], // paru rejects it: no targets
  ['paru -Sca', 'read-only'],
  ['paru -Sc --aur', 'read-only'],
  ['paru -Sc --pkgbuilds', 'read-only'],
  ['paru -Sc --aur --mode=a', 'read-only'],
  ['paru -h', 'read-only'],
  ['paru -Sh', 'read-only'],
  ['paru -V', 'read-only'],
  ['paru -Syu --version', 'read-only'],
  ['paru -Ss -- -foo', 'read-only'],
  ['paru', 'mutating', false], // -Syu
  ['paru -Syu', 'mutating', false],
  ['paru -Sua', 'mutating', false],
  ['paru -Sua --devel', 'mutating', false],
  ['paru -Syu --noconfirm', 'mutating', false],
  ['paru -Sy', 'mutating', false],
  ['paru -S foo', 'mutating', true],
  ['paru -S --needed foo bar', 'mutating', true],
  ['paru -S --chroot foo', 'mutating', true],
  ['paru -S --chroot=/var/lib/aurbuild/x86_64 foo', 'mutating', true],
  ['paru -S --localrepo foo', 'mutating', true],
  ['paru -S --interactive', 'mutating', false],
  ['paru -Sa foo', 'mutating', true],
  ['paru -S --noinstall foo', 'mutating', true], // still installs missing dependencies
  ['paru -Sw foo', 'mutating', false],
  ['paru -S ./foo', 'mutating', true],
  ['paru -Siy foo', 'mutating', false],
  ['paru foo', 'mutating', true],
  ['paru foo bar', 'mutating', true],
  ['paru -- foo', 'mutating', true],
  ['paru -U', 'mutating', true], // builds the PKGBUILD in the current directory
  ['paru -Ui', 'mutating', true],
  ['paru -U foo.pkg.tar.zst', 'mutating', true],
  ['paru -B dir', 'mutating', true],
  ['paru -Bi dir', 'mutating', true],
  ['paru --build ./a ./b', 'mutating', true],
  ['paru -c', 'mutating', false],
  ['paru -cc', 'mutating', false],
  ['paru --clean', 'mutating', false],
  ['paru -Sc', 'mutating', false],
  ['paru -Scc', 'mutating', false],
  ['paru -Sc --repo', 'mutating', false],
  ['paru -Sc --aur --mode=ar', 'mutating', false],
  ['paru -Sca --repo', 'mutating', false],
  ['paru -R foo', 'mutating', false],
  ['paru -Rns foo', 'mutating', false],
  ['paru -R --interactive', 'mutating', false],
  ['paru -Ly', 'mutating', false],
  ['paru -Lu', 'mutating', false],
  ['paru -Lc', 'mutating', false],
  ['paru -Ld foo', 'mutating', false],
  ['paru -Ldd foo', 'mutating', false],
  ['paru -D --asexplicit foo', 'mutating', false],
  ['paru -Fy', 'mutating', false],
  // Unknown or rejected by paru's own parser: fail closed.
  ['paru --editor vim -S foo', 'mutating', false],
  ['paru -W foo', 'mutating', false],
  ['paru -Y foo', 'mutating', false],
  ['paru -SS foo', 'mutating', false],
  ['paru -Ss --needed=yes foo', 'mutating', false],
  ['paru -Ss --aururl', 'mutating', false],
  ['paru --sync --refres', 'mutating', false],
];

/** Every case as [line, effect, redirectable], read-only ones never redirectable. */
const full = (cases: readonly Case[]) => cases.map(([line, effect, redirectable]) => [line, effect, redirectable ?? false] as const);

describe('AUR helper command lines: read-only or mutating', () => {
  it.each(full(YAY))('%s → %s', (line, effect, redirectable) => {
    const command = classify('yay', words(line).slice(1).join(' '));
    expect({ effect: command.effect, redirectable: command.redirectable }, command.action).toEqual({ effect, redirectable });
  });

  it.each(full(PARU))('%s → %s', (line, effect, redirectable) => {
    const command = classify('paru', words(line).slice(1).join(' '));
    expect({ effect: command.effect, redirectable: command.redirectable }, command.action).toEqual({ effect, redirectable });
  });

  it('says what a command does in pacman words where it ends in pacman', () => {
    expect(classify('yay', '-Syu').action).toBe('upgrading the system');
    expect(classify('yay', '-S foo').action).toBe('installing packages');
    expect(classify('yay', '-R foo').action).toBe('removing packages');
    expect(classify('yay', '-Sc').action).toBe('cleaning the package cache');
    expect(classify('yay', 'foo').action).toBe('searching and installing packages');
    expect(classify('yay', '-Yc').action).toBe('removing unneeded dependencies');
    expect(classify('paru', '-Ly').action).toBe('changing local repositories and their sync databases');
    expect(classify('paru', '-B dir').action).toBe('building packages from PKGBUILDs (installing their missing dependencies)');
    expect(classify('yay', '--foo').action).toBe("a command line pacman-guard cannot read: invalid option 'foo'");
    expect(classify('paru', '--foo').unknown).toBe('unknown option --foo');
  });

  it('names the operation the helper performs', () => {
    expect(classify('yay', '').operation).toBe('sync');
    expect(classify('yay', 'foo').operation).toBe('yay');
    expect(classify('yay', '-Pw').operation).toBe('show');
    expect(classify('paru', 'foo').operation).toBe('default');
    expect(classify('paru', '-C').operation).toBe('chrootctl');
    expect(classify('paru', '--bogus').operation).toBeUndefined();
  });

  it('reads the root, database, config and sysroot for deciding which system a command acts on', () => {
    expect(classify('yay', '--root /mnt -b /mnt/var/lib/pacman --config /mnt/etc/pacman.conf -S foo').paths)
      .toEqual({ root: '/mnt', dbPath: '/mnt/var/lib/pacman', config: '/mnt/etc/pacman.conf' });
    expect(classify('paru', '-r/mnt --sysroot=/srv -S foo').paths).toEqual({ root: '/mnt', sysroot: '/srv' });
    expect(classify('yay', '-S foo').paths).toEqual({});
  });
});

describe('the helpers’ parsers', () => {
  it('yay: --opt=value and --opt value; b and r take the rest of the cluster or the next word', () => {
    const parse = parseHelperCommand('yay', ['-Sb/db', '--root', '/mnt', '--color=never', '--ignore', 'a,b', '--needed=x', 'foo']);
    expect(parse).toEqual({
      ok: true,
      command: {
        helper: 'yay',
        operation: 'sync',
        options: [
          { name: 'b', value: '/db' },
          { name: 'root', value: '/mnt' },
          { name: 'color', value: 'never' },
          { name: 'ignore', value: 'a' },
          { name: 'ignore', value: 'b' },
          { name: 'needed', value: 'x' },
        ],
        targets: ['foo'],
        readsTargetsFromStdin: false,
      },
    });
  });

  it('yay: an option that takes an argument takes the next word whatever it is, or "" at the end', () => {
    const parse = parseHelperCommand('yay', ['-S', '--mflags', '--nocheck', 'foo', '--builddir']);
    expect(parse.ok && parse.command.options).toEqual([{ name: 'mflags', value: '--nocheck' }, { name: 'builddir', value: '' }]);
    expect(parse.ok && parse.command.targets).toEqual(['foo']);
  });

  it('yay: no operation is -Y with targets and -Syu without; `--S` is -S; `-` reads targets from stdin', () => {
    const implied = (args: string[]) => {
      const parse = parseHelperCommand('yay', args);
      return parse.ok ? [parse.command.operation, parse.command.implied, parse.command.readsTargetsFromStdin] : parse.problem;
    };
    expect(implied(['foo'])).toEqual(['yay', 'targets', false]);
    expect(implied([])).toEqual(['sync', 'sysupgrade', false]);
    expect(implied(['--S', 'foo'])).toEqual(['sync', undefined, false]);
    expect(implied(['-S', '-'])).toEqual(['sync', undefined, true]);
    expect(implied(['-S', '-Y'])).toBe('only one operation may be used at a time');
  });

  it('paru: Required takes the next word, Optional only with =, and = on a plain flag is an error', () => {
    const parse = parseHelperCommand('paru', ['-S', '--chroot', 'foo', '--mflags', '--nocheck', '--rebuild=all', '-b/db']);
    expect(parse.ok && parse.command.options).toEqual([
      { name: 'chroot' },
      { name: 'mflags', value: '--nocheck' },
      { name: 'rebuild', value: 'all' },
      { name: 'b', value: '/db' },
    ]);
    expect(parse.ok && parse.command.targets).toEqual(['foo']);
    expect(parseHelperCommand('paru', ['-S', '--needed=x'])).toEqual({ ok: false, problem: 'option --needed does not allow a value' });
    expect(parseHelperCommand('paru', ['-S', '--mflags'])).toEqual({ ok: false, problem: 'option --mflags expects a value' });
    expect(parseHelperCommand('paru', ['-Sr'])).toEqual({ ok: false, problem: 'option -r expects a value' });
  });

  it('paru: bare paru is -Syu; paru foo has no operation; - is a target read from stdin', () => {
    const parse = (args: string[]) => {
      const result = parseHelperCommand('paru', args);
      return result.ok ? [result.command.operation, result.command.implied, result.command.targets, result.command.readsTargetsFromStdin] : result.problem;
    };
    expect(parse([])).toEqual(['sync', 'sysupgrade', [], false]);
    expect(parse(['foo'])).toEqual([undefined, undefined, ['foo'], false]);
    expect(parse(['-S', '-', 'foo'])).toEqual(['sync', undefined, ['foo'], true]);
    expect(parse(['-S', '--', '-S'])).toEqual(['sync', undefined, ['-S'], false]);
  });

  it('extends pacman\'s option table: every pacman option is known to both, with the same argument', () => {
    for (const helper of HELPER_NAMES) {
      const spec = helperSpec(helper);
      for (const [name, argument] of [['dbpath', 'required'], ['root', 'required'], ['config', 'required'], ['overwrite', 'required'], ['needed', 'none'], ['debug', 'optional']] as const) {
        expect(spec.longOptions.get(name), `${helper} --${name}`).toBe(argument);
      }
      expect(spec.shortOptions.get('b'), helper).toBe('required');
      expect(spec.shortOptions.get('y'), helper).toBe('none');
    }
    expect(helperSpec('yay').operations.get('Y')).toBe('yay');
    expect(helperSpec('yay').operations.get('V')).toBe('version');
    expect(helperSpec('paru').operations.get('V')).toBeUndefined();
    expect(helperSpec('paru').operations.get('L')).toBe('repoctl');
  });

  it.each(PACMAN_VARIANTS)('knows every long option of pacman %s with the same argument, in both helpers', (variant) => {
    for (const helper of HELPER_NAMES) {
      for (const option of getoptSpecFor(variant).longOptions) {
        expect(helperSpec(helper).longOptions.get(option.name), `${helper} --${option.name}`).toBe(option.argument);
      }
    }
  });

  it('classifies --disable-s… as mutating: the 7.1.0 tag reads it as --disable-sandbox and locks', () => {
    for (const helper of HELPER_NAMES) {
      expect(classifyHelperCommand(helper, ['-S', '--disable-s', 'guardtest']), helper).toMatchObject({ effect: 'mutating' });
    }
  });

  it('passes to pacman what the helper passes: yay all but its own settings, paru pacman\'s options only', () => {
    const pacmanLine = (helper: HelperName, args: string[]) => {
      const parse = parseHelperCommand(helper, args);
      if (!parse.ok) throw new Error(parse.problem);
      return pacmanArgsFor(parse.command, 'sync');
    };
    expect(pacmanLine('yay', ['-Sc', '--aururl', 'x', '-a', '--root', '/mnt', '--stats'])).toEqual(['--sync', '-c', '--root=/mnt', '--stats', '--']);
    expect(pacmanLine('paru', ['-Sci', '--aururl', 'x', '-b', '/db', '--chroot', 'foo'])).toEqual(['--sync', '-c', '-i', '-b/db', '--', 'foo']);
    // The pacman model reads what pacman would get: yay's leftover --stats makes pacman refuse.
    expect(parsePacmanCommand(pacmanLine('yay', ['-Q', '--stats'])).outcome).toBe('rejected');
  });
});

describe('the decision for a helper command line', () => {
  const free: Engagement = { known: true, merged: [], locked: false, dbPath: '/var/lib/pacman' };
  const merged: Engagement = { known: true, merged: [{ hierarchy: '/usr', extensions: ['devtools'], since: new Date('2026-11-22T10:00:00Z') }], locked: true, dbPath: '/var/lib/pacman' };
  const lockedOnly: Engagement = { known: true, merged: [], locked: true, dbPath: '/var/lib/pacman' };
  const unknown: Engagement = { known: false, reason: 'cannot read /proc/self/mountinfo: EACCES' };
  const verdict = (helper: HelperName, line: string, engagement: Engagement, policy: 'refuse' | 'redirect' = 'refuse', host = true) => {
    const result = decideHelper(classify(helper, line), host, engagement, policy);
    return `${result.decision} ${result.exitCode}`;
  };

  it.each([
    ['yay', '-S foo', free, 'refuse', 'allow 0'],
    ['yay', '-S foo', merged, 'refuse', 'refuse 3'],
    ['yay', '-S foo', lockedOnly, 'refuse', 'refuse 3'],
    ['yay', '-S foo', unknown, 'refuse', 'refuse 4'],
    ['yay', '', merged, 'refuse', 'refuse 3'],
    ['yay', '-Ss foo', merged, 'refuse', 'allow 0'],
    ['yay', '-Ss foo', unknown, 'refuse', 'allow 0'],
    ['yay', '--bogus', merged, 'refuse', 'refuse 3'],
    ['yay', '--bogus', free, 'refuse', 'allow 0'],
    ['paru', '-B dir', merged, 'refuse', 'refuse 3'],
    ['paru', '-Gp foo', merged, 'refuse', 'allow 0'],
    // Policy = redirect: installs run (the pacman shim redirects their pacman -S/-U), the rest is refused.
    ['yay', '-S foo', merged, 'redirect', 'allow 0'],
    ['yay', 'foo', merged, 'redirect', 'allow 0'],
    ['yay', '-Bi .', merged, 'redirect', 'allow 0'],
    ['yay', '-U x.pkg.tar.zst', merged, 'redirect', 'allow 0'],
    ['paru', '-B dir', merged, 'redirect', 'allow 0'],
    ['paru', '-U', merged, 'redirect', 'allow 0'],
    ['paru', 'foo', merged, 'redirect', 'allow 0'],
    ['yay', '-Syu', merged, 'redirect', 'refuse 3'],
    ['yay', '', merged, 'redirect', 'refuse 3'],
    ['yay', '-Sy foo', merged, 'redirect', 'refuse 3'],
    ['yay', '-R foo', merged, 'redirect', 'refuse 3'],
    ['yay', '-Yc', merged, 'redirect', 'refuse 3'],
    ['paru', '-Sc', merged, 'redirect', 'refuse 3'],
    ['paru', '-Ly', merged, 'redirect', 'refuse 3'],
    ['paru', '--bogus foo', merged, 'redirect', 'refuse 3'],
    ['yay', '-S foo', unknown, 'redirect', 'refuse 4'],
  ] as const)('%s %s (%j, %s) → %s', (helper, line, engagement, policy, expected) => {
    expect(verdict(helper, line, engagement, policy)).toBe(expected);
  });

  it('lets a command on another root through', () => {
    expect(verdict('yay', '--root /mnt -S foo', merged, 'refuse', false)).toBe('allow 0');
  });

  it('refuses in pacman\'s words, with the helper\'s command line to run again without sudo', () => {
    const command = classify('yay', '-S guardtest');
    const text = helperRefusalText(decideHelper(command, true, merged), merged, 'yay', ['-S', 'guardtest'], false, command.redirectable, { upgrade: false, targets: ['guardtest'] });
    expect(text.message).toBe("refusing 'yay -S guardtest' (installing packages): system extensions are merged, so yay would change the image under them");
    expect(text.details).toEqual([
      '  /usr: devtools (merged since 2026-11-22T10:00:00+0000)',
      '  /var/lib/pacman: read-only (locked)',
      ":: From the repositories: install in guard update's maintenance window:",
      '    sudo guard update -S guardtest',
      ':: From the AUR: build, then install the package files in the window:',
      '    yay -G guardtest',
      '    (cd guardtest && makepkg)',
      '    sudo guard update -U $(cd guardtest && makepkg --packagelist)',
      ':: Or have what yay installs built into system extensions instead:',
      "    set 'Policy = redirect' in /etc/pacman-guard.conf",
    ]);
  });

  it('does not suggest the redirect policy for what it would refuse anyway, and fails closed when the state is unknown', () => {
    const upgrade = classify('paru', '');
    const text = helperRefusalText(decideHelper(upgrade, true, lockedOnly), lockedOnly, 'paru', [], true, upgrade.redirectable);
    expect(text.message).toBe("refusing 'paru' (upgrading the system): pacman's database is locked read-only");
    expect(text.details.at(-2)).toBe('    paru');
    expect(text.details.join('\n')).not.toContain('Policy');
    const blind = helperRefusalText(decideHelper(classify('yay', '-S x'), true, unknown), unknown, 'yay', ['-S', 'x'], false, true);
    expect(blind.message).toBe("refusing 'yay -S x' (installing packages): cannot tell whether system extensions are merged or the database is locked: cannot read /proc/self/mountinfo: EACCES");
  });
});

describe('the yay and paru shims', () => {
  it.each(HELPER_NAMES)('wrappers/%s is exactly what src/shim/render-helper.ts renders (run npm run generate)', (helper) => {
    const path = checkoutHelperShimPath(helper);
    expect(readFileSync(path, 'utf8')).toBe(renderCheckoutHelperShim(helper));
    expect(statSync(path).mode & 0o111).toBe(0o111);
  });

  it.each(HELPER_NAMES)('%s: execs the real helper, overridable, and asks guard helper-check', (helper) => {
    const shim = renderCheckoutHelperShim(helper);
    const variable = `PACMAN_GUARD_REAL_${helper.toUpperCase()}`;
    expect(shim).toContain(`real_helper=\${${variable}:-'/usr/bin/${helper}'}`);
    expect(shim).toContain(`helper-check ${helper} -- "$@"`);
    expect(shim).toContain("[ -d '/usr/.systemd-sysext' ]");
    expect(shim).toContain("[ ! -w \"$1\" ]");
    expect(shim).toContain("read_only '/var/lib/pacman' || { [ -e '/usr' ] && read_only '/usr'; }");
    expect(ExitCode.StateUnknown).toBe(4);
    expect(shim).toContain('exit 4');
  });
});

describe("the helper's --color, which its refusal follows", () => {
  it.each([
    ['yay', '--color always -S foo', 'always'],
    ['yay', '--color=never -S foo', 'never'],
    ['paru', '--color always --color=auto -S foo', 'auto'], // the last one wins, as in pacman
    ['paru', '--color bogus -S foo', undefined], // pacman rejects it: no colour decided by it
    ['yay', '-S foo', undefined],
  ] as const)('%s %s → %s', (helper, line, expected) => {
    expect(classify(helper, line).color).toBe(expected);
  });
});

describe("the helpers' refusals name guard update commands that work when typed", () => {
  const merged = { known: true, merged: [{ hierarchy: '/usr', extensions: ['devtools'], mutable: false }], locked: true, dbPath: '/var/lib/pacman' } as const;
  it.each([
    ['yay', '', { upgrade: true, targets: [] }, ['    sudo guard update -Syu']],
    ['paru', '-Syu', { upgrade: true, targets: [] }, ['    sudo guard update -Syu']],
    ['yay', '-R foo', { pacmanArgs: ['--remove', '--', 'foo'], upgrade: false, targets: [] }, ['    sudo guard update --remove -- foo']],
  ] as const)('%s %s', (helper, line, base, expected) => {
    const command = classify(helper, line);
    const text = helperRefusalText(decideHelper(command, true, merged), merged, helper, line ? line.split(' ') : [], false, command.redirectable, base);
    const commands = text.details.filter((detail) => detail.startsWith('    '));
    expect(commands).toEqual(expected);
    expect(text.details.join('\n')).not.toMatch(/NAME|VERSION|ARCH/);
  });
});
