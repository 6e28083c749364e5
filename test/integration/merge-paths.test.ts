/**
 * The ways systemd merges, and the lock following each (issue 21), in the
 * namespace testbed with the host's systemd-sysext: the drop-in's steps as
 * systemd-sysext.service runs them, with a fresh database, on reload, and
 * after a plain `systemd-sysext refresh` typed in a shell.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

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
