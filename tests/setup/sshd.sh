#!/usr/bin/env bash
# Installs what tests/TestLocks.Processes.Tests needs on a fresh Debian machine; safe to run again (it installs only
# what is missing). The tests start their own sshd on 127.0.0.1 with keys generated per run, so nothing is started here.
#   openssh-server  /usr/sbin/sshd (and ssh-keygen from openssh-client) for the SshExecute tests
#   util-linux      prlimit (ProcessLimits), setsid (process-group kill), setpriv (the non-root RunAsRoot tests)
#   coreutils       dd, paste, od, head, tr, mkfifo used by the tests' commands
set -euo pipefail

missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
for tool in prlimit setsid setpriv; do
  command -v "$tool" >/dev/null || { missing+=(util-linux); break; }
done
for tool in dd paste od head tr mkfifo; do
  command -v "$tool" >/dev/null || { missing+=(coreutils); break; }
done

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# sshd refuses to start as root without its privilege separation directory, which only its service creates.
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p /run/sshd
  chmod 0755 /run/sshd
fi
