/**
 * The read-only image and `guard update` in the namespace testbed: /usr a
 * read-only bind mount (as on a system booted from an image), the sample
 * extension merged, pacman's database locked, the [guardtest] repository.
 */
import { expect, it } from 'vitest';
import { PROJECT_ROOT, describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const INSTALL = '$GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest /run/guard-installed.json >/dev/null';
/** /usr as an image: read-only by mount, for everyone in this namespace. */
const READ_ONLY_USR = 'mount --bind /usr /usr && mount -o remount,bind,ro /usr';
/** The system as the design has it: read-only image, an extension merged, the database locked. */
const ENGAGED = `${READ_ONLY_USR}\ntestbed_merge_extension sample\ntestbed_lock_db`;
const SHIM = 'PATH=/run/guard-bin:$PATH';
const MERGED = 'sort /usr/.systemd-sysext/extensions 2>/dev/null | tr "\\n" " "; echo';
/** What pacman meets at DBPath (the top of the lock, the view, or nothing): read-only or not. */
const LOCKED = '[ -w /var/lib/pacman ] && echo unlocked || echo locked';
/** Everything in pacman's real database directory (beneath the view of merged packages), hashed. */
const DB_DIGEST = 'testbed_real_db_digest';
const json = (expression: string) => `node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{const d=JSON.parse(s);console.log(${expression})})'`;

describeInTestbed('a read-only image', () => {
  it('is a state guard status, check, the shim and the hook know: file-writing commands are refused, /var-only ones run', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${READ_ONLY_USR}
      $GUARD status >/dev/null; echo "status $?"
      $GUARD status --json | ${json('JSON.stringify([d.engaged, d.readOnly, d.image.map((e) => e.hierarchy + ":" + e.readOnly)])')}
      $GUARD check -- -S guardtest | tail -1; echo "check -S $?"
      $GUARD check -- -Sy | tail -1; echo "check -Sy $?"
      ${SHIM} pacman -S --noconfirm guardtest; echo "shim -S $?"
      ls /var/cache/pacman/pkg | grep -c '^guardtest-1'
      ${SHIM} pacman -Sy >/dev/null; echo "shim -Sy $?"
      ${SHIM} pacman -D --asexplicit guardtest-dep >/dev/null; echo "shim -D $?"
      # Without CheckSpace pacman itself would record a package whose files it could not write.
      sed -i 's/^CheckSpace/#CheckSpace/' /etc/pacman.conf
      before=$(${DB_DIGEST})
      /usr/bin/pacman -S --noconfirm guardtest-extra 2>&1 | grep -E '^(error|:: |    guard)' | grep -v -e Retrieving -e Proceed; echo "pacman \${PIPESTATUS[0]}"
      /usr/bin/pacman -Q guardtest-extra >/dev/null 2>&1; echo "installed $?"
      test -e /usr/share/guardtest-extra/file || echo "no files"`);
    expect(result.stdout, result.stderr).toBe([
      'status 3',
      '[true,["/usr"],["/usr:mount","/opt:null"]]',
      '  decision:    refuse: /usr is mounted read-only',
      'check -S 3',
      '  decision:    allow: no system extensions are merged and the database is writable, and synchronizing the package databases writes no package files into the read-only image',
      'check -Sy 0',
      'shim -S 3',
      '0',
      'shim -Sy 0',
      'shim -D 0',
      ':: Running pre-transaction hooks...',
      'error: pacman-guard: aborting the transaction: /usr is mounted read-only',
      ":: To change the base system, run it in guard update's maintenance window:",
      '    guard update -S --noconfirm guardtest-extra',
      'error: command failed to execute correctly',
      'error: failed to commit transaction (failed to run transaction hooks)',
      'pacman 1',
      'installed 1',
      'no files',
    ].join('\n') + '\n');
    expect(result.stderr).toContain([
      "error: refusing 'pacman -S --noconfirm guardtest' (installing packages): /usr is mounted read-only, so pacman cannot write package files there",
      '  /usr is mounted read-only',
      ":: To change the base system, run it in guard update's maintenance window:",
      '    guard update -S --noconfirm guardtest',
      ':: Or build a system extension from them instead of installing:',
      '    guard extend guardtest',
    ].join('\n'));
  });
});

describeInTestbed('the advice of every refusal', () => {
  it('locked, nothing merged: guard unlock, the command, guard lock, which works and leaves nothing merged', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${SHIM} pacman -S --noconfirm guardtest-extra 2>&1 >/dev/null | grep -A5 '^::'
      $GUARD unlock; ${SHIM} pacman -S --noconfirm guardtest-extra >/dev/null; echo "pacman $?"; $GUARD lock
      ${MERGED}
      ${LOCKED}`, { locked: true });
    expect(result.stdout, result.stderr).toBe([
      ':: Nothing is merged: unlock the database, run it, and lock it again:',
      '    guard unlock',
      '    pacman -S --noconfirm guardtest-extra',
      '    guard lock',
      ':: Or build a system extension from them instead of installing:',
      '    guard extend guardtest-extra',
      'unlocked: /var/lib/pacman',
      'pacman 0',
      'locked: /var/lib/pacman',
      '',
      'locked',
    ].join('\n') + '\n');
  });

  it('merged (and read-only): guard update with the same arguments, which installs and puts the merge and the lock back', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${ENGAGED}
      ${SHIM} pacman -S --noconfirm guardtest-extra 2>&1 >/dev/null | grep -A1 '^::'
      $GUARD update -S --noconfirm guardtest-extra >/dev/null; echo "update $?"
      cat /usr/share/guardtest-extra/file
      ${MERGED}
      ${LOCKED}
      test -w /usr/share || echo "read-only"
      test -e /var/lib/pacman-guard/update.json || echo "no record"`);
    expect(result.stdout, result.stderr).toBe([
      ":: To change the base system, run it in guard update's maintenance window:",
      '    guard update -S --noconfirm guardtest-extra',
      ':: Or build a system extension from them instead of installing:',
      '    guard extend guardtest-extra',
      'update 0',
      'guardtest-extra file',
      'sample ',
      'locked',
      'read-only',
      'no record',
    ].join('\n') + '\n');
  });

  it('state unknown: guard status and guard doctor', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${READ_ONLY_USR}
      mkdir -p /var/lib/pacman-guard && echo 'not a record' >/var/lib/pacman-guard/update.json
      ${SHIM} pacman -S --noconfirm guardtest-extra; echo "shim $?"`);
    expect(result.stdout, result.stderr).toBe('shim 4\n');
    expect(result.stderr).toContain(':: Find out what is wrong with:\n    guard status\n    guard doctor');
  });
});

describeInTestbed('guard update', () => {
  it('installs a package while nobody outside ever sees /usr or /opt writable, then puts the lock and the merge back', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${ENGAGED}
      # /opt: a read-only file system (its superblock), not only a read-only mount.
      mount -o remount,ro /opt
      watch() { while [ ! -e /run/testbed/stop ]; do for d in /usr/share /opt; do [ -w $d ] && echo "$d writable" >>/run/testbed/seen; done; sleep 0.05; done; }
      watch & watcher=$!
      ( while [ ! -e /run/testbed/slow-started ]; do sleep 0.05; done
        $GUARD status --json | ${json('d.update.state + " " + d.update.phase')}
        ${SHIM} pacman -S --noconfirm guardtest-extra >/dev/null 2>&1; echo "shim during update $?"
        touch /run/testbed/slow-go ) &
      $GUARD update -S --noconfirm guardtest-slow >/run/testbed/update.out 2>&1; echo "update $?"
      wait $!; touch /run/testbed/stop; wait $watcher
      cat /run/testbed/seen 2>/dev/null; echo "watcher saw $(cat /run/testbed/seen 2>/dev/null | wc -l) writable"
      cat /usr/share/guardtest-slow/file /opt/guardtest-slow/file
      ${MERGED}
      ${LOCKED}
      findmnt -no OPTIONS /opt | cut -d, -f1
      $GUARD status >/dev/null; echo "status $?"
      grep -E '^:: (Unmerging|Running pacman|Checking|Merging|Rebuilding)' /run/testbed/update.out`, { timeoutMs: 200_000 });
    expect(result.stdout, result.stderr).toBe([
      'running running pacman',
      'shim during update 3',
      'update 0',
      'watcher saw 0 writable',
      'guardtest-slow file',
      'guardtest-slow opt file',
      'sample ',
      'locked',
      'ro',
      'status 3',
      ':: Unmerging system extensions...',
      ':: Running pacman -S --noconfirm guardtest-slow (/usr, /opt writable for it alone)',
      ':: Checking system extensions against the new base...',
      ':: Merging system extensions...',
    ].join('\n') + '\n');
  });

  it('killed with SIGKILL mid-transaction leaves /usr read-only, says so in status and doctor, and --finish puts everything back', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${ENGAGED}
      $GUARD update -S --noconfirm guardtest-slow >/dev/null 2>&1 &
      while [ ! -e /run/testbed/slow-started ]; do sleep 0.05; done
      kill -9 "$(${json('d.pid')} </var/lib/pacman-guard/update.json)"
      test -w /usr/share || echo "read-only after the kill"
      $GUARD status >/run/testbed/status.out 2>&1; echo "status $?"
      grep -E 'interrupted' /run/testbed/status.out | sed 's/(pid [0-9]*, started [^)]*)/(…)/'
      ${SHIM} pacman -S --noconfirm guardtest-extra 2>&1 | grep -A1 '^::'
      touch /run/testbed/slow-go
      $GUARD update --finish >/dev/null; echo "finish $?"
      cat /usr/share/guardtest-slow/file
      ${MERGED}
      ${LOCKED}
      test -w /usr/share || echo "read-only"
      $GUARD status >/dev/null; echo "status $?"`, { timeoutMs: 200_000 });
    expect(result.stdout, result.stderr).toBe([
      'read-only after the kill',
      'status 3',
      '    interrupted (…) while running pacman; finish it: guard update --finish',
      'warning: a guard update (…) was interrupted while running pacman: run guard update --finish',
      ':: Finish it first: it puts the lock and the merged extensions back as they were:',
      '    guard update --finish',
      'finish 0',
      'guardtest-slow file',
      'sample ',
      'locked',
      'read-only',
      'status 3',
    ].join('\n') + '\n');
  });

  it('puts everything back after pacman says no at its prompt, and after Ctrl-C in the middle of the transaction', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${ENGAGED}
      state() { echo "$(${MERGED} | tr -d '\\n')/$(${LOCKED})/$(test -w /usr/share && echo rw || echo ro)"; }
      before=$(state)
      echo n | $GUARD update -S guardtest-extra >/dev/null 2>&1; echo "declined $?"
      test "$(state)" = "$before" && echo "unchanged"
      /usr/bin/pacman -Q guardtest-extra >/dev/null 2>&1 || echo "not installed"
      # Ctrl-C: SIGINT to the whole foreground process group, guard and pacman alike.
      setsid $GUARD update -S --noconfirm guardtest-slow >/run/testbed/update.out 2>&1 & leader=$!
      while [ ! -e /run/testbed/slow-started ]; do sleep 0.05; done
      kill -INT -- -$leader
      touch /run/testbed/slow-go
      # pacman finishes the package it is committing, as it does alone; guard is not killed by the signal.
      wait $leader; [ $? -lt 128 ] && echo "exited with pacman's status"
      test "$(state)" = "$before" && echo "put back"
      test -e /var/lib/pacman-guard/update.json || echo "no record"`, { timeoutMs: 200_000 });
    expect(result.stdout, result.stderr).toBe(['declined 1', 'unchanged', 'not installed', "exited with pacman's status", 'put back', 'no record', ''].join('\n'));
  });

  it('rebuilds an extension whose dependency the repository bumped, and holds one whose package the base now has', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${ENGAGED}
      $GUARD extend guardtest-tool >/dev/null 2>&1; echo "extend tool $?"
      $GUARD extend guardtest >/dev/null 2>&1; echo "extend guardtest $?"
      ${MERGED}
      # guardtest-lib 1.0 → 2.0 (another provides) in the repository.
      rm "$TESTBED_REPO"/guardtest-lib-1.0-*.pkg.tar.gz
      cp "$TESTBED_UPDATES"/guardtest-lib-2.0-*.pkg.tar.gz "$TESTBED_REPO/"
      repo-add --quiet "$TESTBED_REPO/guardtest.db.tar.gz" "$TESTBED_REPO"/guardtest-lib-2.0-*.pkg.tar.gz >/dev/null 2>&1
      $GUARD update -Sy --noconfirm guardtest >/run/testbed/update.out 2>&1; echo "update $?"
      grep -E '^:: (Unmerging|Running pacman|Checking|Merging|Rebuilding)|^    [a-z-]+: |^warning' /run/testbed/update.out
      ${MERGED}
      ${LOCKED}
      cat /usr/lib/guardtest/libguardtest.so.2
      /usr/bin/pacman -Q guardtest
      ls -A /var/lib/extensions/.pacman-guard-held
      $GUARD extend --list | grep -A1 '^guardtest ' | cut -c1-60 | sed 's/ *$//'
      $GUARD extend --remove guardtest
      ls -A /var/lib/extensions/.pacman-guard-held | wc -l`, { timeoutMs: 200_000 });
    expect(result.stdout, result.stderr).toBe([
      'extend tool 0',
      'extend guardtest 0',
      'guardtest guardtest-tool sample ',
      'update 0',
      ':: Unmerging system extensions...',
      ':: Running pacman -Sy --noconfirm guardtest (/usr writable for it alone)',
      ':: Checking system extensions against the new base...',
      '    sample: not built by guard extend, not checked',
      '    guardtest: does not fit: the base now has guardtest 1.0-1, which it was built to add',
      '    guardtest-tool: needs a rebuild: guardtest-lib 1.0-1 → 2.0-1',
      ':: Merging system extensions...',
      ':: Rebuilding extension guardtest-tool...',
      'warning: extension guardtest is not merged: the base now has guardtest 1.0-1, which it was built to add',
      'guardtest-tool sample ',
      'locked',
      'guardtest library 2',
      'guardtest 1.0-1',
      'guardtest',
      'guardtest.reason',
      'guardtest                held        guardtest 1.0-1',
      '                         held: the base now has guardtest 1.',
      'removed extension guardtest',
      '0',
    ].join('\n') + '\n');
  });
});

describeInTestbed('guard update with bad input changes nothing', () => {
  it('refuses an unknown option, a user, an image that cannot be written, and puts everything back when pacman fails at download', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${ENGAGED}
      state() { echo "$(${MERGED} | tr -d '\\n')/$(${LOCKED})/$(test -w /usr/share && echo rw || echo ro)/$(${DB_DIGEST} | cut -c1-8)"; }
      before=$(state)
      $GUARD update --bogus; echo "unknown option $?"
      $GUARD update -Q; echo "query $?"
      runuser -u nobody -- $GUARD update; echo "user $?"
      test "$(state)" = "$before" && echo "unchanged"
      # An overlay without an upper layer cannot be written at all.
      mkdir -p /run/testbed/lower1 /run/testbed/lower2
      mount -t overlay overlay -o lowerdir=/run/testbed/lower1:/run/testbed/lower2 /opt
      $GUARD update -S --noconfirm guardtest-extra; echo "immutable $?"
      test "$(state)" = "$before" && echo "unchanged"
      umount /opt
      rm "$TESTBED_REPO"/guardtest-extra-*.pkg.tar.gz
      $GUARD update -S --noconfirm guardtest-extra >/dev/null 2>&1; echo "download fails $?"
      test "$(state)" = "$before" && echo "unchanged"
      test -e /var/lib/pacman-guard/update.json || echo "no record"`);
    expect(result.stdout, result.stderr).toBe([
      'unknown option 2',
      'query 2',
      'user 1',
      'unchanged',
      'immutable 3',
      'unchanged',
      'download fails 1',
      'unchanged',
      'no record',
    ].join('\n') + '\n');
    expect(result.stderr).toContain("error: pacman would reject 'pacman -Syu --bogus': unrecognized option '--bogus'");
    expect(result.stderr).toContain("error: 'pacman -Q' does not change the system: run it without guard update");
    expect(result.stderr).toContain('error: you cannot perform this operation unless you are root.');
    expect(result.stderr).toContain('error: /opt is an immutable image (an overlay with no upper layer): pacman cannot change it');
  });
});

describeInTestbed('the redirect policy covers upgrades and removals', () => {
  it('pacman -Syu runs guard update; -R of what extensions carry rebuilds or removes them; -R of a base package runs guard update -R', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${ENGAGED}
      $GUARD extend guardtest-tool >/dev/null 2>&1; echo "extend tool $?"
      $GUARD extend --name pair guardtest guardtest-extra >/dev/null 2>&1; echo "extend pair $?"
      printf '[options]\\nPolicy = redirect\\n' >/etc/pacman-guard.conf
      said() { grep -E '^(:: pacman-guard|    guard|rebuilt|removed)' | sed 's/merged on \\/usr ([^)]*)/merged on \\/usr (…)/'; }
      ${SHIM} pacman -Syu --noconfirm >/run/testbed/syu.out 2>&1; echo "syu $?"
      said </run/testbed/syu.out
      ${SHIM} pacman -R --noconfirm guardtest-extra 2>&1 | said; echo "remove from pair $?"
      # -Rs: guardtest-lib, the dependency only guardtest-tool needed, goes too (plain -R leaves it: extend.test.ts).
      ${SHIM} pacman -Rs --noconfirm guardtest-tool 2>&1 | said
      $GUARD extend --list | cut -c1-40
      ${SHIM} pacman -R --noconfirm guardtest-dep >/run/testbed/rdep.out 2>&1; echo "remove base $?"
      said </run/testbed/rdep.out
      /usr/bin/pacman -Q guardtest-dep 2>&1
      ${SHIM} pacman -R --noconfirm guardtest nosuchpackage; echo "not found $?"
      ${MERGED}
      ${LOCKED}`, { timeoutMs: 300_000 });
    expect(result.stdout, result.stderr).toBe([
      'extend tool 0',
      'extend pair 0',
      'syu 0',
      ":: pacman-guard: system extensions are merged on /usr (…) and /var/lib/pacman is locked read-only and /usr is mounted read-only; upgrading the base system in guard update's maintenance window (Policy = redirect)",
      '    guard update -Syu --noconfirm',
      ":: pacman-guard: system extensions are merged on /usr (…) and /var/lib/pacman is locked read-only and /usr is mounted read-only; the packages are in system extensions, taking them out of there (Policy = redirect)",
      '    guard extend --name pair guardtest',
      'rebuilt and merged extension pair: /var/lib/extensions/pair',
      '    guardtest 1.0-1',
      'remove from pair 0',
      ":: pacman-guard: system extensions are merged on /usr (…) and /var/lib/pacman is locked read-only and /usr is mounted read-only; the packages are in system extensions, taking them out of there (Policy = redirect)",
      '    guard extend --remove guardtest-tool',
      'removed extension guardtest-tool',
      'pair                     merged      gua',
      'remove base 0',
      ":: pacman-guard: system extensions are merged on /usr (…) and /var/lib/pacman is locked read-only and /usr is mounted read-only; removing base packages in guard update's maintenance window (Policy = redirect)",
      '    guard update -R --noconfirm guardtest-dep',
      // Gone from the base; guardtest in extension pair needs it, so pair was rebuilt carrying it, and pacman sees it there.
      'guardtest-dep 1.0-1',
      'not found 1',
      'pair sample ',
      'locked',
    ].join('\n') + '\n');
    expect(result.stderr).toContain('error: target not found: nosuchpackage');
  });

  it('under Policy = refuse, a removal of what only an extension carries names the guard command that takes it out', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${ENGAGED}
      $GUARD extend guardtest-tool >/dev/null 2>&1; echo "extend $?"
      ${SHIM} pacman -R guardtest-tool 2>&1 | grep -A1 '^::'; echo "refused \${PIPESTATUS[0]}"`, { timeoutMs: 200_000 });
    expect(result.stdout, result.stderr).toBe([
      'extend 0',
      ':: They are in system extensions, not in the base; take them out of there:',
      '    guard extend --remove guardtest-tool',
      'refused 3',
    ].join('\n') + '\n');
  });
});

describeInTestbed('guard install on a read-only /usr', () => {
  it('refuses before writing anything and names the options and the ways that work; writable directories work', async () => {
    const result = await runInTestbed(`
      ${READ_ONLY_USR}
      $GUARD install --unitdir /run/units; echo "install $?"
      find /run/units /var/lib/pacman-guard -mindepth 1 2>/dev/null | wc -l
      $GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units >/dev/null; echo "writable $?"
      ls /run/guard-bin /etc/pacman.d/hooks | grep -c -e '^pacman$' -e 'pacman-guard.hook'`);
    expect(result.stdout, result.stderr).toBe('install 1\n0\nwritable 0\n2\n');
    expect(result.stderr).toBe([
      'error: cannot install: directories are not writable',
      '  --bindir /usr/local/bin: /usr/local/bin is on a read-only file system',
      // Debian's pacman has no /usr/share/libalpm: the nearest directory there is what mkdir -p would write.
      '  --hookdir /usr/share/libalpm/hooks: /usr/share is on a read-only file system',
      '  nothing was changed',
      '  on a read-only /usr, build the package (as a user: makepkg does not run as root),',
      "  then install it in guard update's maintenance window:",
      `    cd ${PROJECT_ROOT}/packaging && makepkg`,
      `    sudo guard update -U $(cd ${PROJECT_ROOT}/packaging && makepkg --packagelist)`,
      "  or install into writable directories, the shims first on PATH and in sudo's secure_path:",
      '    guard install --bindir /etc/pacman-guard/bin --hookdir /etc/pacman.d/hooks',
      '',
    ].join('\n'));
  });
});
