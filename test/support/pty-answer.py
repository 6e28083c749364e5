"""Runs a command on a pseudo-terminal, as a user at a terminal would, and
types ANSWER (and Enter) once the command prints a [Y/n] or [y/N] prompt.
Prints everything the terminal showed (CR LF as LF), then "exit N".

usage: python3 pty-answer.py ANSWER COMMAND [ARG]...
"""
import os
import pty
import sys

answer = sys.argv[1].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

shown = b''
typed = False
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:  # EIO: the child closed the terminal
        break
    if not data:
        break
    shown += data
    if not typed and (b'[Y/n] ' in shown or b'[y/N] ' in shown):
        os.write(fd, answer + b'\n')
        typed = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode('utf-8', 'replace').replace('\r\n', '\n'))
print('exit', os.waitstatus_to_exitcode(status))
