#!/usr/bin/env bash
# The test command of the README and of CI: installs what the tests need, builds, lints, runs Vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-test-tools
[ -x "$HOME/.cargo/bin/rustc" ] && export PATH="$HOME/.cargo/bin:$PATH"
echo "==> Linting"
npm run lint
echo "==> Running the test suite"
npx vitest run
