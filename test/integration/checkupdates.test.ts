/**
 * checkupdates on an engaged system, through the pacman shim, as the user a
 * status bar runs it as, against every pacman build. Its command line is
 * pacman-contrib's (src/checkupdates.sh.in, github.com/archlinux/pacman-contrib):
 *   v1.9.1 (5c644ee0) line 133:  fakeroot -- pacman -Sy --dbpath "$CHECKUPDATES_DB" --logfile /dev/null
 *   v1.13.1 (ea3ed064) line 150: fakeroot -- pacman -Sy --disable-sandbox-filesystem --dbpath "$CHECKUPDATES_DB" --logfile /dev/null
 * after `mkdir -p "$CHECKUPDATES_DB"; ln -s "${DBPath}/local" "$CHECKUPDATES_DB"`
 * (lines 148-149), CHECKUPDATES_DB defaulting to ${TMPDIR:-/tmp}/checkup-db-${UID}/.
 * The second form is for pacman builds that know the option (7.1.0 with 2df7c407).
 */
import { expect, it } from 'vitest';
import { parsePacmanCommand } from '../../src/pacman/model.js';
import { pacmanBuilds, type PacmanBuild } from '../support/pacman-builds.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

function inCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** checkupdates' pacman arguments for this build. */
function checkupdatesArgs(build: PacmanBuild): string {
  const newer = parsePacmanCommand(['-Sy', '--disable-sandbox-filesystem', '--dbpath', '/x'], { variant: build.variant }).outcome === 'run';
  return `-Sy${newer ? ' --disable-sandbox-filesystem' : ''} --dbpath "$CHECKUPDATES_DB" --logfile /dev/null`;
}

/** The body's setup: this build as the real pacman behind the shim (an upstream build reads its prefix's pacman.conf). */
const REAL_PACMAN = `
  if [[ -n $PACMAN_PREFIX ]]; then mount --bind /etc/pacman.conf "$PACMAN_PREFIX/etc/pacman.conf" || exit 97; fi
  export PACMAN_GUARD_REAL_PACMAN=$PACMAN
  db_state() { find /var/lib/pacman -printf '%p %s %T@\\n' | sort | sha256sum; }
  refusals() { $GUARD status --prometheus | awk '$1 == "pacman_guard_refusals_total" { print $2 }'; }
  as_user() { runuser -u nobody -- env PATH="$PROJECT_ROOT/wrappers:$PATH" TMPDIR="$TMPDIR" PACMAN_GUARD_REAL_PACMAN="$PACMAN" "$@"; }
`;

describeInTestbed('checkupdates while the guard is engaged', () => {
  for (const build of pacmanBuilds()) {
    if (build.missing) {
      if (inCI()) it(`pacman ${build.label}`, () => { throw new Error(`pacman ${build.label} is unavailable under CI: ${build.missing}`); });
      continue;
    }
    const env = { PACMAN: build.binary!, PACMAN_PREFIX: build.prefix ?? '' };

    it(`pacman ${build.label}: its private sync passes, as the user, with no refusal, no audit line, no metric, the real database unchanged`, async () => {
      const result = await runInTestbed(`${REAL_PACMAN}
        before=$(db_state); counted=$(refusals); logged=$(grep -c PACMAN-GUARD /var/log/pacman.log)
        as_user bash -c '
          CHECKUPDATES_DB="\${TMPDIR:-/tmp}/checkup-db-\${UID}/"
          mkdir -p "$CHECKUPDATES_DB" && ln -s "/var/lib/pacman/local" "$CHECKUPDATES_DB"
          fakeroot -- pacman ${checkupdatesArgs(build)} &>/dev/null; echo "checkupdates sync $?"
          ls "$CHECKUPDATES_DB/sync"
          pacman -Qu --dbpath "$CHECKUPDATES_DB" >/dev/null; echo "query $?"
          guard_check=$($GUARD check --json -- ${checkupdatesArgs(build)})
          printf "%s\\n" "$guard_check" | grep -E "\\"(host|decision)\\""'
        [[ $(db_state) == "$before" ]] && echo "real database unchanged"
        echo "refusals counted: $(( $(refusals) - counted ))"
        echo "audit lines: $(( $(grep -c PACMAN-GUARD /var/log/pacman.log) - logged ))"`, { merged: true, locked: true, env });
      expect(result.stderr).not.toContain('refusing');
      expect(result.stdout).toBe([
        'checkupdates sync 0',
        'guardtest.db',
        'query 1',
        '  "host": false,',
        '  "decision": "allow",',
        'real database unchanged',
        'refusals counted: 0',
        'audit lines: 0',
        '',
      ].join('\n'));
    }, 300_000);

    it(`pacman ${build.label}: a private --dbpath that would write package files into this root stays refused`, async () => {
      const result = await runInTestbed(`${REAL_PACMAN}
        mkdir -p /run/private/sync && ln -s /var/lib/pacman/local /run/private/local
        before=$(db_state)
        for line in "-S --noconfirm guardtest-extra" "-U --noconfirm $TESTBED_PKGS/guardtest-extra-1.0-1-any.pkg.tar.gz" "-R --noconfirm guardtest-dep"; do
          "$PROJECT_ROOT/wrappers/pacman" $line --dbpath /run/private >/dev/null 2>&1; echo "$line: $?"
        done
        [[ $(db_state) == "$before" ]] && echo "real database unchanged"
        test ! -e /usr/share/guardtest-extra && echo "nothing installed"
        test -e /usr/share/guardtest-dep && echo "nothing removed"
        echo "audit lines: $(grep -c PACMAN-GUARD /var/log/pacman.log)"`, { merged: true, locked: true, env });
      expect(result.stdout.replace(/ \/\S*guardtest-extra-1\.0-1-any\.pkg\.tar\.gz/, ' PKG')).toBe([
        '-S --noconfirm guardtest-extra: 3',
        '-U --noconfirm PKG: 3',
        '-R --noconfirm guardtest-dep: 3',
        'real database unchanged',
        'nothing installed',
        'nothing removed',
        'audit lines: 3',
        '',
      ].join('\n'));
    }, 300_000);
  }
});
