# Runs inside the sandbox's namespace (see sandbox.sh).
set -euo pipefail
source "$PROJECT_ROOT/test/testbed/setup.sh"
guard() { node "$PROJECT_ROOT/dist/cli/main.js" "$@"; }
export -f guard
guard install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/guard-units --manifest /run/guard-installed.json >/dev/null
mkdir -p /run/extensions/demo/usr/lib/extension-release.d /run/extensions/demo/usr/share/demo
echo 'ID=_any' >/run/extensions/demo/usr/lib/extension-release.d/extension-release.demo
echo 'hello from the demo extension' >/run/extensions/demo/usr/share/demo/hello
guard merge >/dev/null
export PATH=/run/guard-bin:$PATH

if [[ ${1:-} == --shell ]]; then
  cat <<'TEXT'
:: pacman-guard sandbox: a private mount namespace; the host is not touched.
   The extension 'demo' is merged over /usr, pacman's database is locked, and
   'pacman' is the shim. Try: pacman -Q, pacman -S guardtest, guard status,
   guard check -- -Syu, guard unmerge. 'exit' leaves and undoes everything.
TEXT
  PS1='(pacman-guard sandbox) # ' exec bash --norc -i
fi

run() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@" || printf '(exit status %s)\n' "$?"; }
set +e
run guard status
run pacman -Q
run cat /usr/share/demo/hello
run pacman -S guardtest
run guard check -- -S guardtest
run guard unmerge
run pacman -S --noconfirm guardtest
echo
echo ":: The host was not touched: everything above happened in a private mount namespace."
