/**
 * The ways systemd merges, and the lock following each (issue 21), in the
 * namespace testbed with the host's systemd-sysext: the drop-in's steps as
 * systemd-sysext.service runs them, with a fresh database, on reload, and
 * after a plain `systemd-sysext refresh` typed in a shell.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';
import { UNIT_STEPS } from '../testbed/unit-steps.js';

/** "<merged|unmerged> <ro|rw> <status exit>" from the guard's own status. */
const SUMMARY = `{ $GUARD status --json >/run/status.json; code=$?; node -e '
  const s = JSON.parse(require("fs").readFileSync("/run/status.json", "utf8"));
  console.log(s.merged ? "merged" : "unmerged", s.lock.locked ? "ro" : "rw", process.argv[1])' "$code"; }`;
const EXTENSION = (name: string) => `mkdir -p /run/extensions/${name}/usr/lib/extension-release.d /run/extensions/${name}/usr/share/${name}; echo ID=_any >/run/extensions/${name}/usr/lib/extension-release.d/extension-release.${name}`;

describeInTestbed('the lock follows systemd-sysext.service', () => {
  it('a fresh database (no local/ yet) with an extension present at boot: the drop-in steps succeed and the lock follows the merge', async () => {
    const result = await runInTestbed(`
      rm -rf /var/lib/pacman/local
      ${EXTENSION('e')}
      # And an entry pacman cannot read: a warning too, never a failed unit.
      mkdir -p /run/extensions/e/usr/lib/pacman-guard/local/bad-1-1; echo x >/run/extensions/e/usr/lib/pacman-guard/local/bad-1-1/desc
      # systemd-sysext.service's start with the drop-in: ExecStartPre, ExecStart, ExecStartPost.
      $GUARD lock --wait=120 >/dev/null; echo "pre $?"
      systemd-sysext refresh >/dev/null; echo "start $?"
      $GUARD settle 2>/run/settle.err; echo "post $?"
      sed 's/^/stderr: /' /run/settle.err
      ${SUMMARY}
      # systemctl stop: ExecStop, ExecStopPost.
      systemd-sysext unmerge >/dev/null; echo "stop $?"
      $GUARD settle; echo "stoppost $?"
      ${SUMMARY}`);
    expect(result.stdout, result.stderr).toBe([
      'pre 0', 'start 0',
      'locked: extensions are merged', 'post 0',
      "stderr: warning: /var/lib/pacman/local does not exist yet (a fresh database): pacman sees no base packages, only the extensions'",
      'stderr: warning: /usr/lib/pacman-guard/local/bad-1-1/files: missing: pacman does not see this package',
      'merged ro 3',
      'stop 0', 'unlocked: nothing is merged', 'stoppost 0',
      'unmerged rw 0', '',
    ].join('\n'));
  }, 300_000);
});

/** An extension NAME carrying one package entry NAME-1.0-1 (as guard extend writes it), with its file. */
const WITH_ENTRY = (name: string) => `${EXTENSION(name)}
  mkdir -p /run/extensions/${name}/usr/lib/pacman-guard/local/${name}-1.0-1
  printf '%%NAME%%\\n${name}\\n\\n%%VERSION%%\\n1.0-1\\n\\n%%ARCH%%\\nany\\n' >/run/extensions/${name}/usr/lib/pacman-guard/local/${name}-1.0-1/desc
  printf '%%FILES%%\\nusr/\\nusr/share/\\nusr/share/${name}/\\n\\n' >/run/extensions/${name}/usr/lib/pacman-guard/local/${name}-1.0-1/files`;

/** The unit's steps as systemd runs them, from the units guard install wrote (test/testbed/unit-steps.ts). */
const DROP_IN_STEPS = (key: string) => `unit_step ${key}`;
const INSTALL = `$GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest /run/guard-installed.json >/dev/null
  ${UNIT_STEPS}`;

describeInTestbed('the lock follows systemd-sysext.service reload and a refresh typed in a shell', () => {
  it('reload after adding and after removing an extension ends locked exactly while merged, with a view that matches; a plain refresh is reported stale', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      # Start with only an incompatible extension: nothing merges, the lock goes again.
      mkdir -p /run/extensions/fedora/usr/lib/extension-release.d; echo ID=fedora >/run/extensions/fedora/usr/lib/extension-release.d/extension-release.fedora
      ${DROP_IN_STEPS('ExecStartPre')} >/dev/null; systemd-sysext refresh >/dev/null 2>&1; ${DROP_IN_STEPS('ExecStartPost')} >/dev/null
      ${SUMMARY}
      # Add a compatible extension, reload.
      ${WITH_ENTRY('demo')}
      ${DROP_IN_STEPS('ExecReload')} >/dev/null
      ${SUMMARY}; /usr/bin/pacman -Q demo
      # Remove it, reload: pacman must not list a package whose files are gone.
      rm -rf /run/extensions/demo
      ${WITH_ENTRY('other')}
      ${DROP_IN_STEPS('ExecReload')} >/dev/null
      ${SUMMARY}; /usr/bin/pacman -Q demo other 2>&1
      # A plain systemd-sysext refresh typed in a shell: status says the view is stale, exit 5; settle repairs it.
      rm -rf /run/extensions/other; ${WITH_ENTRY('third')}
      systemd-sysext refresh >/dev/null 2>&1
      ${SUMMARY}; $GUARD status 2>&1 | grep -F "view does not match"
      $GUARD status --prometheus | grep '^pacman_guard_view_stale'
      $GUARD settle >/dev/null; ${SUMMARY}`, { env: { PROJECT_ROOT: process.cwd() } });
    expect(result.stdout, result.stderr).toBe([
      'unmerged rw 0',
      'merged ro 3', 'demo 1.0-1',
      'merged ro 3', "error: package 'demo' was not found", 'other 1.0-1',
      'merged ro 5',
      "warning: pacman's view does not match what is merged (pacman sees other-1.0-1, not merged; pacman does not see third-1.0-1, which merged extensions carry): run guard settle",
      'pacman_guard_view_stale 1',
      'merged ro 3', '',
    ].join('\n'));
  }, 300_000);
});

/**
 * A confext merged on /etc as systemd-confext (>= 254; not on this host's
 * 252) leaves it: an overlay with source `confext` and the marker
 * /etc/.systemd-confext/{dev,confexts}, written once the overlay's device is known.
 */
const CONFEXT_ON_ETC = (name: string) => `
  mkdir -p /run/cx/meta/.systemd-confext /run/cx/site/etc/site
  : >/run/cx/meta/.systemd-confext/dev; : >/run/cx/meta/.systemd-confext/confexts
  mount -t overlay confext -o ro,lowerdir=/run/cx/meta:/run/cx/site/etc:/etc /etc
  mountpoint -d /etc >/run/cx/meta/.systemd-confext/dev; echo ${name} >/run/cx/meta/.systemd-confext/confexts`;

describeInTestbed('sysext and confext kept apart', () => {
  it('a merged confext is named, keeps the lock, and never blocks merging or unmerging system extensions', async () => {
    const result = await runInTestbed(`
      ${CONFEXT_ON_ETC('site')}
      $GUARD status --json | node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(s.hierarchies.map((h) => h.hierarchy + " " + h.kind + " " + h.extensions.join(",")).join("; "))'
      $GUARD settle; ${SUMMARY}
      ${EXTENSION('e')}
      $GUARD merge >/dev/null; echo "merge $?"
      $GUARD status --json | node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(s.hierarchies.map((h) => h.hierarchy + " " + h.kind + " " + h.extensions.join(",")).join("; "))'
      $GUARD unmerge | tail -n 1; echo "unmerge $?"
      ${SUMMARY}
      $GUARD unlock 2>&1; echo "unlock $?"
      # systemd-confext unmerge, as the host's systemd cannot run it:
      umount /etc
      $GUARD settle; ${SUMMARY}`);
    expect(result.stdout, result.stderr).toBe([
      '/etc confext site',
      'locked: extensions are merged', 'merged ro 3',
      'merge 0',
      '/etc confext site; /usr sysext e',
      'still locked: /var/lib/pacman: configuration extensions are merged on /etc (guard unmerge --confext unmerges them)', 'unmerge 0',
      'merged ro 3',
      'error: not unlocking /var/lib/pacman: configuration extensions are merged on /etc',
      '  pacman must not run while extensions are merged; unmerge first (this also unlocks):',
      '    guard unmerge --confext',
      '  or unlock anyway: guard unlock --force',
      'unlock 3',
      'unlocked: nothing is merged', 'unmerged rw 0', '',
    ].join('\n'));
  }, 300_000);
});

describeInTestbed('a mutable merge as the mount table shows it', () => {
  it("the read-only bind of <hierarchy>/.systemd-sysext that mutable merges add is not a second hierarchy (made by hand: 252 has no --mutable)", async () => {
    const result = await runInTestbed(`
      ${EXTENSION('demo')}
      $GUARD merge >/dev/null; echo "merge $?"
      # What systemd >= 256 adds for --mutable: a read-only bind of the overlay's own marker directory.
      mount --bind /usr/.systemd-sysext /usr/.systemd-sysext && mount -o remount,bind,ro /usr/.systemd-sysext
      findmnt -n -o FSROOT /usr/.systemd-sysext
      $GUARD status --json | node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(s.hierarchies.map((h) => h.hierarchy + " " + h.extensions.join(",") + " " + h.mode).join("; "))'
      $GUARD status --prometheus | grep '^pacman_guard_merged_extensions{hierarchy="/usr'
      umount /usr/.systemd-sysext
      $GUARD unmerge >/dev/null; echo "unmerge $?"; ${SUMMARY}`);
    expect(result.stdout, result.stderr).toBe([
      'merge 0',
      '/.systemd-sysext',
      '/usr demo no',
      'pacman_guard_merged_extensions{hierarchy="/usr"} 1',
      'unmerge 0', 'unmerged rw 0', '',
    ].join('\n'));
  }, 300_000);
});

describeInTestbed('raw images', () => {
  it('guard extend --list says a merged NAME.raw is merged', async () => {
    const result = await runInTestbed(`
      mkdir -p /run/img/usr/lib/extension-release.d /run/img/usr/share/rawdemo
      echo ID=_any >/run/img/usr/lib/extension-release.d/extension-release.rawdemo
      mkdir -p /var/lib/extensions
      truncate -s 8M /var/lib/extensions/rawdemo.raw
      mkfs.ext4 -q -d /run/img /var/lib/extensions/rawdemo.raw
      $GUARD extend --list | sed 's/  */ /g'
      $GUARD merge >/dev/null 2>&1; echo "merge $?"
      $GUARD extend --list | sed 's/  */ /g'
      $GUARD unmerge >/dev/null; echo "unmerge $?"`);
    expect(result.stdout, result.stderr).toBe([
      'rawdemo.raw not merged (not built by guard extend)',
      'merge 0',
      'rawdemo.raw merged (not built by guard extend)',
      'unmerge 0', '',
    ].join('\n'));
  }, 300_000);
});
