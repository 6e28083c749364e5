# /etc/profile.d/pacman-guard.sh: pacman-guard's pacman shim ahead of
# /usr/bin/pacman for login shells, so a mutating pacman command is checked
# before it runs. sudo ignores PATH: see /usr/share/doc/pacman-guard/sudoers.example.
case ":$PATH:" in
	*:/usr/lib/pacman-guard/bin:*) ;;
	*) PATH="/usr/lib/pacman-guard/bin:$PATH"; export PATH ;;
esac
