#!/usr/bin/env bash
# A real Jupyter kernel for `cellwise stale` and its tests: Debian's ipykernel (with matplotlib and numpy, which
# the fixtures use), run by /usr/bin/python3 through the `python3` kernelspec. Idempotent: installs only when
# something is missing, and says what it did. Exits non-zero when the kernel is still not usable.
set -euo pipefail

PY=/usr/bin/python3
SPEC=/usr/share/jupyter/kernels/python3/kernel.json
# pandas: the bundled example notebooks use it (docs/stale.md runs one).
PACKAGES=(python3-ipykernel jupyter-client python3-matplotlib python3-numpy python3-pandas)

ready() {
  [ -x "$PY" ] && "$PY" -c "import ipykernel, matplotlib, numpy, pandas" 2>/dev/null && [ -f "$SPEC" ]
}

if ready; then
  echo "setup-kernel: ipykernel, matplotlib and numpy import in $PY and the python3 kernelspec exists ($SPEC); nothing to do"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-kernel: the python3 kernel is missing and installing it needs root: run" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "setup-kernel: no apt-get here; install ipykernel, matplotlib and numpy for $PY and the python3 kernelspec by hand" >&2
  exit 1
fi

echo "setup-kernel: installing ${PACKAGES[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null

if ready; then
  echo "setup-kernel: installed; $PY imports ipykernel $("$PY" -c 'import ipykernel; print(ipykernel.__version__)') and the python3 kernelspec is at $SPEC"
else
  echo "setup-kernel: apt-get finished but the kernel is still not usable ($PY -c 'import ipykernel, matplotlib, numpy' or $SPEC)" >&2
  exit 1
fi
