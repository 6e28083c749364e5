/**
 * The scene of issue 23's update tests (update-crash, update-record): the
 * base has guardtest-lib 1.0; extension guardtest-oldlib needs
 * guardtest-lib<2.0, extension guardtest-extra carries guardtest-extra 1.0;
 * merged and locked, /usr a read-only mount, /opt a read-only file system;
 * then the repository moves to guardtest-lib 2.0 and guardtest-extra 2.0.
 */
const INSTALL = '$GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest /run/guard-installed.json >/dev/null';

/** The scene above, merged and locked, /usr a read-only mount and /opt a read-only file system. */
export const SCENE = `
  ${INSTALL}
  /usr/bin/pacman -S --noconfirm guardtest-lib >/dev/null
  mount --bind /usr /usr && mount -o remount,bind,ro /usr
  mount -o remount,ro /opt
  $GUARD extend guardtest-oldlib >/dev/null 2>&1 || echo "extend oldlib failed"
  $GUARD extend guardtest-extra >/dev/null 2>&1 || echo "extend extra failed"
  for p in guardtest-lib guardtest-extra; do
    rm "$TESTBED_REPO"/$p-1.0-*.pkg.tar.gz
    cp "$TESTBED_UPDATES"/$p-2.0-*.pkg.tar.gz "$TESTBED_REPO/"
    repo-add --quiet "$TESTBED_REPO/guardtest.db.tar.gz" "$TESTBED_REPO"/$p-2.0-*.pkg.tar.gz >/dev/null 2>&1
  done`;

/** Polls, from outside the window, whether /usr or /opt can be written; \`unwatch\` stops it and says what it saw. */
export const WATCH = `
  watch() { while [ ! -e /run/testbed/stop ]; do for d in /usr/share /opt; do [ -w $d ] && echo "$d writable" >>/run/testbed/seen; done; sleep 0.05; done; }
  watch & watcher=$!
  unwatch() { touch /run/testbed/stop; wait $watcher; echo "outside the window: $(cat /run/testbed/seen 2>/dev/null | sort -u | tr '\\n' ' ')$(cat /run/testbed/seen 2>/dev/null | wc -l) writable"; }`;

