import { describe, expect, it } from 'vitest';
import { parseAlpmHook, triggeredHooks } from '../../../src/extend/alpm-hooks.js';
import { fnmatchToRegExp, matchesTargets } from '../../../src/extend/fnmatch.js';

describe('fnmatch (no flags: * crosses /)', () => {
  it.each([
    ['usr/lib/*.so*', 'usr/lib/libfoo.so.1', true],
    ['usr/lib/*', 'usr/lib/a/b/c', true],
    ['usr/share/icons/*/', 'usr/share/icons/hicolor/', true],
    ['usr/share/icons/*/', 'usr/share/icons/hicolor/x.png', false],
    ['usr/lib/modules/?.*', 'usr/lib/modules/6.1', true],
    ['usr/lib/[abc]*', 'usr/lib/bar', true],
    ['usr/lib/[!abc]*', 'usr/lib/bar', false],
    ['usr/lib/[^abc]*', 'usr/lib/zed', true],
    ['usr/lib/[a-c]x', 'usr/lib/bx', true],
    ['usr/lib/[]]x', 'usr/lib/]x', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a.b', 'axb', false],
    ['a[b', 'a[b', true],
    ['(x)+', '(x)+', true],
  ])('%s ~ %s: %s', (pattern, text, expected) => {
    expect(fnmatchToRegExp(pattern).test(text)).toBe(expected);
  });

  it.each([
    [['usr/lib/*'], 'usr/lib/x', true],
    [['usr/lib/*', '!usr/lib/x'], 'usr/lib/x', false],
    [['!usr/lib/x', 'usr/lib/*'], 'usr/lib/x', true],
    [['usr/lib/*', '!usr/lib/x'], 'usr/lib/y', true],
    [['\\!weird'], '!weird', true],
    [['usr/bin/*'], 'usr/lib/x', false],
  ] as const)('targets %j select %s: %s', (patterns, text, expected) => {
    expect(matchesTargets(patterns, text)).toBe(expected);
  });
});

const LDCONFIG = `[Trigger]
Type = Path
Operation = Install
Operation = Upgrade
Operation = Remove
Target = usr/lib/*.so*

[Action]
Description = Updating linker cache...
When = PostTransaction
Exec = /usr/bin/ldconfig
`;
const SYSUSERS = `[Trigger]
Type = Path
Operation = Install
Operation = Upgrade
Target = usr/lib/sysusers.d/*.conf

[Action]
Description = Creating system user accounts...
When = PostTransaction
Exec = /usr/share/libalpm/scripts/systemd-hook sysusers
`;
const ON_PACKAGE = `# comment
[Trigger]
Operation = Install
Type = Package
Target = linux
Target = linux-lts

[Action]
When = PostTransaction
Exec = /usr/bin/mkinitcpio -P
`;
const REMOVE_ONLY = LDCONFIG.replace(/Operation = (Install|Upgrade)\n/g, '');

describe('parseAlpmHook', () => {
  it('reads triggers and the action', () => {
    expect(parseAlpmHook('ldconfig.hook', LDCONFIG)).toEqual({
      name: 'ldconfig.hook',
      triggers: [{ operations: ['Install', 'Upgrade', 'Remove'], type: 'Path', targets: ['usr/lib/*.so*'] }],
      description: 'Updating linker cache...',
      when: 'PostTransaction',
      exec: '/usr/bin/ldconfig',
    });
  });

  it.each([
    ['no trigger', '[Action]\nExec = /bin/true\n'],
    ['no Exec', '[Trigger]\nOperation = Install\nType = Path\nTarget = *\n[Action]\nWhen = PostTransaction\n'],
    ['no Target', '[Trigger]\nOperation = Install\nType = Path\n[Action]\nExec = /bin/true\n'],
    ['a bad Type', '[Trigger]\nOperation = Install\nType = Files\nTarget = *\n[Action]\nExec = /bin/true\n'],
  ])('%s: libalpm would reject it, so it is not counted', (_, text) => {
    expect(parseAlpmHook('x.hook', text)).toBeUndefined();
  });

  it('Type = File is the deprecated spelling of Path', () => {
    expect(parseAlpmHook('x.hook', LDCONFIG.replace('Type = Path', 'Type = File'))?.triggers[0]?.type).toBe('Path');
  });
});

describe('triggeredHooks', () => {
  const hooks = [
    parseAlpmHook('ldconfig.hook', LDCONFIG)!,
    parseAlpmHook('20-systemd-sysusers.hook', SYSUSERS)!,
    parseAlpmHook('90-mkinitcpio.hook', ON_PACKAGE)!,
    parseAlpmHook('remove-only.hook', REMOVE_ONLY)!,
  ];
  const names = (found: { name: string }[]) => found.map((hook) => hook.name);

  it.each([
    [['foo'], ['usr/', 'usr/lib/', 'usr/lib/libfoo.so.1'], ['ldconfig.hook']],
    [['foo'], ['usr/lib/sysusers.d/foo.conf', 'usr/bin/foo'], ['20-systemd-sysusers.hook']],
    [['linux'], ['usr/lib/modules/'], ['90-mkinitcpio.hook']],
    [['foo'], ['usr/bin/foo', 'usr/share/foo/'], []],
  ])('packages %j with %j run %j', (packageNames, paths, expected) => {
    expect(names(triggeredHooks(hooks, packageNames, paths))).toEqual(expected);
  });

  it('a later hook of the same name replaces an earlier one; an empty one (a /dev/null mask) never runs', () => {
    expect(names(triggeredHooks([...hooks, { name: 'ldconfig.hook', triggers: [] }], ['foo'], ['usr/lib/libfoo.so']))).toEqual([]);
  });
});
