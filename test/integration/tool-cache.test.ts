/**
 * The refusal, the hook and guard status spawn nothing once pacman-conf's
 * answer and pacman's version are cached, and a cache made stale by any part
 * of its key (pacman.conf, a file it includes, the binaries) is asked again:
 * it never changes a decision. strace counts the processes: every execve
 * after node's own is a spawn.
 */
import { expect, it } from 'vitest';
import { onPath } from '../testbed/namespace.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

/** Shell: runs its arguments under strace and prints `spawned: <program> …` for each execve after the first. */
const TRACE = String.raw`
spawns() {
  strace -f -qq -e trace=execve -e signal=none -o /run/testbed/trace "$@" >/dev/null 2>&1
  status=$?
  printf 'spawned:'
  awk -F'"' '/execve\(/ && !/ENOENT/ { if (seen++) printf " %s", $2 }' /run/testbed/trace
  printf ' (exit %s)\n' "$status"
}`;

const requireStrace = () => {
  // .ci/run installs it; a machine without it cannot run this test, and must not pass it by skipping.
  if (!onPath('strace')) throw new Error('strace is not installed (apt-get install strace)');
};

describeInTestbed('cached tool answers', () => {
  it('the refusal, the hook and guard status spawn nothing once the cache is warm', async () => {
    requireStrace();
    const result = await runInTestbed(`${TRACE}
      spawns $GUARD status
      spawns $GUARD status
      spawns $PROJECT_ROOT/wrappers/pacman -S --noconfirm guardtest-extra
      spawns $GUARD hook
      spawns $GUARD check -- -Q
      spawns $GUARD check -- -Q`, { merged: true, locked: true });
    expect(result.stdout.trim().split('\n')).toEqual([
      // The first run asks pacman-conf and keeps its answer.
      'spawned: /usr/bin/pacman-conf (exit 3)',
      'spawned: (exit 3)',
      // The checkout's shim finds itself and runs guard; guard runs nothing.
      expect.stringMatching(/^spawned: \S*readlink \S*node \(exit 3\)$/),
      'spawned: (exit 1)',
      // guard check asks pacman's version once, then knows it.
      'spawned: /usr/bin/pacman (exit 0)',
      'spawned: (exit 0)',
    ]);
    // Root's cache: users read it, only root writes it.
    expect((await runInTestbed(`${TRACE}
      $GUARD status >/dev/null
      stat -c '%U %a' /run/pacman-guard /run/pacman-guard/tool-cache.json`, { merged: true, locked: true })).stdout).toBe('root 755\nroot 644\n');
  });

  it('each part of the key makes the next run ask again', async () => {
    requireStrace();
    const result = await runInTestbed(`${TRACE}
      mkdir -p /etc/pacman.d
      sed -i 's|^\\[options\\]|[options]\\nInclude = /etc/pacman.d/guard-test.conf|' /etc/pacman.conf
      echo '# nothing yet' >/etc/pacman.d/guard-test.conf
      spawns $GUARD check -- -S guardtest-extra
      echo 'edit pacman.conf'; echo '# a comment' >>/etc/pacman.conf
      spawns $GUARD check -- -S guardtest-extra
      echo 'edit the included file'; echo '# a comment' >>/etc/pacman.d/guard-test.conf
      spawns $GUARD check -- -S guardtest-extra
      echo 'replace pacman-conf by a copy: same size and mtime'
      cp -p /usr/bin/pacman-conf /run/testbed/copy && mv /run/testbed/copy /usr/bin/pacman-conf
      spawns $GUARD check -- -S guardtest-extra
      echo 'replace pacman by a copy: same size and mtime'
      cp -p /usr/bin/pacman /run/testbed/copy && mv /run/testbed/copy /usr/bin/pacman
      spawns $GUARD check -- -S guardtest-extra
      spawns $GUARD check -- -Q`);
    expect(result.stdout.trim().split('\n')).toEqual([
      'spawned: /usr/bin/pacman /usr/bin/pacman-conf (exit 0)',
      'edit pacman.conf',
      'spawned: /usr/bin/pacman-conf (exit 0)',
      'edit the included file',
      'spawned: /usr/bin/pacman-conf (exit 0)',
      'replace pacman-conf by a copy: same size and mtime',
      'spawned: /usr/bin/pacman-conf (exit 0)',
      'replace pacman by a copy: same size and mtime',
      'spawned: /usr/bin/pacman (exit 0)',
      'spawned: (exit 0)',
    ]);
  });

  it('a stale cache never changes a decision: a new DBPath, in pacman.conf or an included file, is the one probed', async () => {
    const result = await runInTestbed(`
      dbpath() { $GUARD status --json | sed -n 's/.*"dbPath": "\\(.*\\)".*/\\1/p'; }
      mkdir -p /srv/db /srv/db2 /etc/pacman.d
      dbpath
      sed -i 's|^\\[options\\]|[options]\\nDBPath = /srv/db/|' /etc/pacman.conf
      dbpath
      sed -i 's|^DBPath = /srv/db/|Include = /etc/pacman.d/db.conf|' /etc/pacman.conf
      echo 'DBPath = /srv/db/' >/etc/pacman.d/db.conf
      dbpath
      echo 'DBPath = /srv/db2/' >/etc/pacman.d/db.conf
      dbpath`, { merged: true, locked: true });
    expect(result.stdout).toBe('/var/lib/pacman\n/srv/db\n/srv/db\n/srv/db2\n');
  });

  it('the lock probed is the new DBPath\'s, not the cached one\'s', async () => {
    // Warm on the default database (locked), then move DBPath to an unlocked directory.
    const result = await runInTestbed(`
      $GUARD check --json -- -S guardtest-extra | grep -c '"decision": "refuse"'
      mkdir -p /srv/db && sed -i 's|^\\[options\\]|[options]\\nDBPath = /srv/db/|' /etc/pacman.conf
      $GUARD status --json | grep -E '"(locked|dbPath)"' | tr -d ' ,'`, { merged: true, locked: true });
    expect(result.stdout).toBe('1\n"locked":false\n"dbPath":"/srv/db"\n"locked":false\n');
  });
});
