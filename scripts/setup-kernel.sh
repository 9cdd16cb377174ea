#!/usr/bin/env bash
# A real Jupyter kernel for `cellwise stale` and its tests: Debian's ipykernel (with matplotlib and numpy, which
# the fixtures use), run by /usr/bin/python3 through the `python3` kernelspec, and Debian's Jupyter Server for
# `cellwise stale --server` (its tests start one). Idempotent: installs only when something is missing, and
# says what it did. Exits non-zero when the kernel or the server is still not usable.
set -euo pipefail

PY=/usr/bin/python3
SPEC=/usr/share/jupyter/kernels/python3/kernel.json
# pandas: the bundled example notebooks use it (docs/stale.md runs one).
PACKAGES=(python3-ipykernel jupyter-client python3-matplotlib python3-numpy python3-pandas jupyter-server)

ready() {
  [ -x "$PY" ] && "$PY" -c "import ipykernel, matplotlib, numpy, pandas, jupyter_server" 2>/dev/null && [ -f "$SPEC" ]
}

if ready; then
  echo "setup-kernel: ipykernel, matplotlib, numpy, pandas and jupyter_server import in $PY and the python3 kernelspec exists ($SPEC); nothing to do"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-kernel: the python3 kernel or the Jupyter Server is missing and installing them needs root: run" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "setup-kernel: no apt-get here; install ipykernel, matplotlib, numpy, pandas and jupyter_server for $PY and the python3 kernelspec by hand" >&2
  exit 1
fi

echo "setup-kernel: installing ${PACKAGES[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null

if ready; then
  echo "setup-kernel: installed; $PY imports ipykernel $("$PY" -c 'import ipykernel; print(ipykernel.__version__)') and jupyter_server $("$PY" -c 'import jupyter_server; print(jupyter_server.__version__)'), and the python3 kernelspec is at $SPEC"
else
  echo "setup-kernel: apt-get finished but the kernel or the server is still not usable ($PY -c 'import ipykernel, matplotlib, numpy, pandas, jupyter_server' or $SPEC)" >&2
  exit 1
fi
