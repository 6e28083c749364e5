import { describe, expect, it } from 'vitest';
import { variantsForVersion } from '../../../src/system/pacman-version.js';
import { parsePacmanConfOutput, pacmanConfigFrom } from '../../../src/system/pacman-conf.js';

const OUTPUT = `[options]
RootDir = /
DBPath = /var/lib/pacman/
CacheDir = /var/cache/pacman/pkg/
CacheDir = /srv/cache/
HookDir = /etc/pacman.d/hooks/
GPGDir = /etc/pacman.d/gnupg/
LogFile = /var/log/pacman.log
HoldPkg = pacman
Architecture = x86_64
Color
CheckSpace
[core]
Server = https://example.invalid/core
`;

describe('pacman-conf output', () => {
  it('reads [options] only, repeated keys as lists, bare keys as set', () => {
    const options = parsePacmanConfOutput(OUTPUT);
    expect(options.get('CacheDir')).toEqual(['/var/cache/pacman/pkg/', '/srv/cache/']);
    expect(options.get('Color')).toEqual(['']);
    expect(options.has('Server')).toBe(false);
  });

  it('gives the configuration the guard uses', () => {
    expect(pacmanConfigFrom(parsePacmanConfOutput(OUTPUT))).toEqual({
      rootDir: '/',
      dbPath: '/var/lib/pacman/',
      hookDirs: ['/etc/pacman.d/hooks/'],
      cacheDirs: ['/var/cache/pacman/pkg/', '/srv/cache/'],
      logFile: '/var/log/pacman.log',
      gpgDir: '/etc/pacman.d/gnupg/',
      color: true,
      architectures: ['x86_64'],
    });
  });

  it('refuses output without a DBPath instead of guessing one', () => {
    expect(() => pacmanConfigFrom(parsePacmanConfOutput('[options]\nRootDir = /\n'))).toThrow(/printed no DBPath/);
  });
});

it.each([
  [' .--.                  Pacman v6.0.2 - libalpm v13.0.2', ['6.0']],
  ['Pacman v6.1.0 - libalpm v14.0.0', ['6.0']],
  ['Pacman v7.0.0 - libalpm v15.0.0', ['7.0']],
  // The tag and a build with 2df7c407 print the same: both are candidates.
  ['Pacman v7.1.0 - libalpm v16.0.0', ['7.1.0', '7.1.0+2df7c407']],
  ['Pacman v7.1.0', ['7.1.0', '7.1.0+2df7c407']],
  ['Pacman v8.0.0', ['7.1.0', '7.1.0+2df7c407']],
  ['Pacman v7', undefined],
  ['something else', undefined],
])('pacman --version %j → variants %j', (output, expected) => expect(variantsForVersion(output)).toEqual(expected));
