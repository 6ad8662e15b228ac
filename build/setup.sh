#!/usr/bin/env bash
# Installs what the tests, the demo and the benchmarks need, idempotently: only what is missing, and
# `apt-get update` only when something is. Runs as root (CI) or through sudo.
set -euo pipefail

packages=(
  python3-oslo.concurrency python3-fasteners python3-filelock  # interop: the real Python oslo/fasteners/filelock
  util-linux                                                   # setpriv (unprivileged children), prlimit, script (terminal recordings)
  tmux                                                         # dotnet test in a pseudo-terminal: what a person sees while a test waits
  gcc libc6-dev                                                # the kernel-limit anchor in bench/
  binutils                                                     # objdump: the glibc symbol-version check of the P/Invoke surface
  openssh-server                                               # TestLocks.Processes' ssh tests
  postgresql redis-server                                      # distributed backends' tests
  wine wine64                                                  # Windows builds run under Wine (64-bit only: no i386)
  chromium                                                     # testlocks report's page, loaded in a real headless browser
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Packaged servers must not start system-wide services: the tests start their own on 127.0.0.1.
  $sudo sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  $sudo rm -f /usr/sbin/policy-rc.d
fi

/usr/bin/python3 -c 'import oslo_concurrency.lockutils, fasteners, filelock' \
  || { echo "setup: Debian's python3-oslo.concurrency is not importable by /usr/bin/python3" >&2; exit 1; }
