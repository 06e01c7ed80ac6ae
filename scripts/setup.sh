#!/usr/bin/env bash
# Installs what Backprop Lab needs, only when it is missing: Debian packages
# (as root, or through sudo) and the npm packages of the lockfile. Safe to run
# again; when everything is there it takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-nanum: Korean glyphs for the browser tests and screenshots.
# python3-torch: runs the exported PyTorch scripts in the tests (with /usr/bin/python3).
# Node.js 20 or newer runs the build and the tests (node --test, playwright-core).
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "setup: Node.js 20 or newer is needed; found: $(node --version 2>/dev/null || echo none)." >&2
  echo "  (Debian 12's own nodejs package is version 18.)" >&2
  exit 1
fi

packages=(cmake make g++ emscripten libxtensor-dev xtl-dev libxsimd-dev catch2 chromium firefox-esr fonts-nanum python3-torch)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: apt-get is not available here. Install these packages by hand: ${missing[*]}" >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    as_root=(sudo)  # asks for a password when one is needed and there is a terminal to ask on
  else
    echo "setup: installing needs root. Run as root, or with sudo:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, reinstalled only when the lockfile changed.
stamp=node_modules/.backprop-lab-lock
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
