# Runs inside the sandbox's namespace (see sandbox.sh).
set -euo pipefail
source "$PROJECT_ROOT/test/testbed/setup.sh"
# Scratch places a session may write to: their changes vanish with the sandbox
# too. Overlays, not empty tmpfs: the checkout and the fixture packages may
# live under them. Not isolated: /home, /root, /srv, the rest of /var and the
# checkout itself (the README says so).
for dir in /tmp /var/tmp /mnt; do
  [[ -d $dir ]] && testbed_overlay "$dir"
done
# sudo resets PATH to its secure_path: put the shim first there, as
# /usr/share/doc/pacman-guard/sudoers.example does on a real system (/etc is
# an overlay here), so that `sudo pacman` meets the shim, not the bare lock.
mkdir -p /etc/sudoers.d
echo 'Defaults secure_path="/run/guard-bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"' >/etc/sudoers.d/pacman-guard-sandbox
chmod 440 /etc/sudoers.d/pacman-guard-sandbox
node "$PROJECT_ROOT/dist/cli/main.js" install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/guard-units --manifest /run/guard-installed.json >/dev/null
# guard itself, an executable beside the shims (not a shell function), so that
# `sudo guard …`, which refusals print for users, finds it through secure_path.
printf '#!/bin/sh\nexec node %q "$@"\n' "$PROJECT_ROOT/dist/cli/main.js" >/run/guard-bin/guard
chmod 755 /run/guard-bin/guard
export PATH=/run/guard-bin:$PATH
mkdir -p /run/extensions/demo/usr/lib/extension-release.d /run/extensions/demo/usr/share/demo
echo 'ID=_any' >/run/extensions/demo/usr/lib/extension-release.d/extension-release.demo
echo 'hello from the demo extension' >/run/extensions/demo/usr/share/demo/hello
guard merge >/dev/null

if [[ ${1:-} == --shell ]]; then
  cat <<'TEXT'
:: pacman-guard sandbox: a private mount namespace; the host is not touched.
   The extension 'demo' is merged over /usr, pacman's database is locked, and
   'pacman' is the shim. Try: pacman -Q, pacman -S guardtest, guard status,
   guard check -- -Syu, guard unmerge. You are root: no sudo needed (sudo
   pacman meets the shim too, through sudo's secure_path, as sudoers.example
   sets it up; /usr/bin/pacman by path meets only the lock, a bare "could not
   lock database" from pacman itself). 'exit' leaves and undoes the mounts and
   what was written under /usr, /etc, /opt, /run, /tmp, /mnt, /var/lib,
   /var/cache, /var/log and /var/tmp; files written anywhere else (/home,
   /root, /srv, the rest of /var, the checkout) stay on the host.
TEXT
  PS1='(pacman-guard sandbox) # ' exec bash --norc -i
fi

# A root shell's transcript: each command after '# ', its output, and its
# status when it fails, as `echo $?` would show it. The README's transcripts
# are excerpts of this (test/integration/sandbox.test.ts holds them equal).
run() {
  printf '# %s\n' "$*"
  "$@" 2>&1
  local status=$?
  if ((status != 0)); then printf '# echo $?\n%s\n' "$status"; fi
}
# The same, answering pacman's question with the default, as Enter would.
run_answering() {
  printf '# %s\n' "$*"
  echo | "$@" 2>&1
}
set +e
run guard status --short
run pacman -Q
run cat /usr/share/demo/hello
run pacman -S guardtest
# The refusal's advice, typed as it says.
run_answering guard update -S guardtest
run pacman -Q
run guard status --short
echo
echo ":: The host was not touched: everything above happened in a private mount namespace."
