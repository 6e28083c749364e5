/**
 * What guard says where it used to say nothing, too little, or the wrong
 * thing (issue 14), each as exact text.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const EXTENSION = 'mkdir -p /run/extensions/e/usr/lib/extension-release.d; echo ID=_any >/run/extensions/e/usr/lib/extension-release.d/extension-release.e';

describeInTestbed('what guard says', () => {
  it('guard merge and unmerge say what they did to the lock, and unmerge says when nothing was merged', async () => {
    const result = await runInTestbed(`${EXTENSION}
      $GUARD unmerge; echo "unmerge $?"
      $GUARD merge; echo "merge $?"
      $GUARD merge; echo "merge $?"
      $GUARD unmerge; echo "unmerge $?"`);
    expect(result.stdout).toBe([
      'nothing was merged', 'not locked: /var/lib/pacman', 'unmerge 0',
      "Using extensions 'e'.", "Merged extensions into '/usr'.", 'locked: /var/lib/pacman', 'merge 0',
      'already merged (guard refresh picks up changed extensions)', 'already locked: /var/lib/pacman', 'merge 0',
      "Unmerged '/usr'.", 'unlocked: /var/lib/pacman', 'unmerge 0', '',
    ].join('\n'));
  });

  it('names the command that was run, not guard lock, in the advice after a stale db.lck', async () => {
    const result = await runInTestbed(`${EXTENSION}; touch /var/lib/pacman/db.lck; $GUARD merge; echo "merge $?"`);
    expect(result.stdout).toBe('merge 3\n');
    expect(result.stderr).toBe([
      'error: not locking: /var/lib/pacman/db.lck exists but no process holds it (a stale lock file)',
      '  if no package manager is running, remove it: rm /var/lib/pacman/db.lck',
      '  then run guard merge again', '',
    ].join('\n'));
  });

  it('says so when there are no extensions to list', async () => {
    const result = await runInTestbed('$GUARD extend --list; echo "list $?"');
    expect(result.stdout).toBe('no system extensions in /var/lib/extensions; build one with: guard extend PACKAGE\nlist 0\n');
  });

  it('a user who cannot write pacman.log gets no warning on every refusal; guard doctor says it once', async () => {
    const result = await runInTestbed(`touch /var/log/pacman.log; chmod 644 /var/log/pacman.log
      runuser -u nobody -- env PATH=$PROJECT_ROOT/wrappers:$PATH pacman -S guardtest 2>/run/refusal; echo "status $?"
      grep -c '^error: refusing' /run/refusal; grep -c 'warning' /run/refusal
      runuser -u nobody -- $GUARD doctor 2>&1 | grep -A1 'pacman.log'`, { merged: true });
    expect(result.stdout).toBe([
      'status 3', '1', '0',
      'warning: /var/log/pacman.log is not writable for you and the journal is not running: your refusals are not recorded',
      '  fix: run pacman as root (sudo pacman), or start systemd-journald', '',
    ].join('\n'));
  });
});
