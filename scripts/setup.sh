#!/usr/bin/env bash
# Installs what rlaif needs on a fresh Debian machine, then the npm workspaces, then builds.
# Safe to re-run: system packages already present are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

# libopenblas0/liblapack3: node-mlx's Linux binary links BLAS/LAPACK.
# bubblewrap: the sandbox of @rlaif/teacher-exec. g++/python3/rustc: toolchains it runs candidates with.
# python3-pip/make: scripts/setup-tfjs.sh fetches libtensorflow from PyPI and builds tfjs-node's addon.
SYSTEM_PACKAGES=(libopenblas0 liblapack3 bubblewrap g++ python3 python3-pip make)
# rustup's rustc is kept and preferred where present; otherwise Debian's rustc is installed.
[ -x "$HOME/.cargo/bin/rustc" ] && export PATH="$HOME/.cargo/bin:$PATH"
command -v rustc >/dev/null 2>&1 || SYSTEM_PACKAGES+=(rustc)
# --with-test-tools (scripts/test.sh): chromium, in which the report test renders the HTML report headless.
if [ "${1:-}" = "--with-test-tools" ]; then SYSTEM_PACKAGES+=(chromium); fi
missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "==> Installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "==> System packages present"
fi

# The quickstart's Rust tasks are tested with Debian 12's rustc 1.63, the oldest a fresh machine gets.
RUSTC_MIN=1.63
if ! command -v rustc >/dev/null 2>&1; then
  echo "error: no rustc on the PATH ($PATH) even after installing Debian's rustc: install Rust with rustup (https://rustup.rs) or add its directory to PATH" >&2
  exit 1
fi
rustc_version=$(rustc --version | awk '{print $2}')
if [ "$(printf '%s\n%s\n' "$RUSTC_MIN" "$rustc_version" | sort -V | head -n 1)" != "$RUSTC_MIN" ]; then
  echo "error: $(command -v rustc) is rustc $rustc_version; rlaif's Rust tasks need rustc $RUSTC_MIN or newer: run \`rustup update\` or install a newer rustc" >&2
  exit 1
fi
echo "==> Toolchains: $(python3 --version), g++ $(g++ -dumpfullversion), rustc $rustc_version ($(command -v rustc))"

echo "==> Installing npm workspaces (scripts skipped: see .npmrc)"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

# @rlaif/backend-tfjs: libtensorflow from PyPI and the tfjs-node addon built against it (skipped when present).
bash scripts/setup-tfjs.sh

echo "==> Building (tsc -b)"
npm run build
# npm ci links a workspace's bin only if its target exists, and dist/ is made by the build above:
# link `rlaif` (node_modules/.bin/rlaif, what `npx rlaif` runs) now.
npm rebuild @rlaif/core --no-audit --no-fund >/dev/null
