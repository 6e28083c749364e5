/**
 * systemd-sysext.service's steps as systemd runs them, for the testbed (no
 * systemd runs there), from the units `guard install --unitdir /run/units`
 * wrote: one copy for every test that plays the unit.
 *
 * `unit_step KEY`: the drop-in's KEY= lines in order, each through sh as
 * systemd's words are; the first failure ends the step (status 1), a leading
 * '-' ignores one (systemd.service(5)). `ExecStartPost` also runs what the
 * drop-in pulls in after the start (Wants=: the guard's settle unit), its
 * ExecStart= lines: what follows the start once systemd has run it.
 * UNIT_DIR overrides /run/units.
 */
export const UNIT_STEPS = `
unit_lines() { sed -n "s/^$1=//p" "$2"; }
unit_step() {
  dropin=\${UNIT_DIR:-/run/units}/systemd-sysext.service.d/pacman-guard.conf
  {
    unit_lines "$1" "$dropin"
    if [ "$1" = ExecStartPost ]; then
      for wanted in $(sed -n 's/^Wants=//p' "$dropin"); do unit_lines ExecStart "\${UNIT_DIR:-/run/units}/$wanted"; done
    fi
  } | while IFS= read -r line; do
    [ -n "$line" ] || continue
    case $line in
      -*) sh -c "\${line#-}" || true ;;
      *) sh -c "$line" || exit 1 ;;
    esac
  done
}`;
