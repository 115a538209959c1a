#!/usr/bin/env bash
# Debian packages the tests need, installed with apt only when missing (root or sudo):
#   chromium, libkrb5-dev            the real-VS-Code tests (Debian's browser; code-server's kerberos module)
#   python3-pymatgen/-ase/-gemmi      cross-checks of our CIF reader, matcher and generated CIFs
#   python3-torch, libopenblas0-pthread   the PyTorch reference of `npm run bench` (fair only with OpenBLAS);
#                                         OpenBLAS is also what the optional native/ kernels dlopen (no -dev package needed)
set -euo pipefail
PACKAGES=(chromium libkrb5-dev python3-pymatgen python3-ase python3-gemmi python3-torch libopenblas0-pthread)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-system-deps: need root or sudo to apt-get install ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
