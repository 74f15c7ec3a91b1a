#!/usr/bin/env bash
# Makes @tensorflow/tfjs-node (4.22.0) work with only npm, PyPI and Debian reachable: libtensorflow comes
# from TensorFlow's PyPI wheel instead of the Google host its install script downloads from, and the
# native addon is built from source against it. Called by scripts/setup.sh after `npm ci`; safe to re-run
# (a stamp in deps/ names what is installed, and nothing is done when it matches).
#
#   bash scripts/setup-tfjs.sh          # CPU: libtensorflow from tensorflow-cpu==2.21.0 (~270 MB download)
#   bash scripts/setup-tfjs.sh --gpu    # CUDA 12 / cuDNN 9: tensorflow==2.21.0 and its nvidia-*-cu12 wheels
#                                       # (unverified here: this machine has no GPU)
set -euo pipefail
cd "$(dirname "$0")/.."

TF_VERSION=2.21.0
MODE=cpu
case "${1:-}" in
  "") ;;
  --gpu) MODE=gpu ;;
  *) echo "usage: bash scripts/setup-tfjs.sh [--gpu]" >&2; exit 2 ;;
esac

PKG=node_modules/@tensorflow/tfjs-node
if [ ! -f "$PKG/package.json" ]; then
  echo "error: $PKG is missing: run \`npm ci\` (or bash scripts/setup.sh) first" >&2
  exit 1
fi
DEPS="$PKG/deps"
# tfjs-node 4.22 is built for libtensorflow 2.9.1 and loads the binding from lib/napi-v8 on Node 20+.
ADDON="$PKG/lib/napi-v8/tfjs_binding.node"
STAMP="$DEPS/rlaif-libtensorflow"
WANTED="$MODE tensorflow $TF_VERSION"
if [ -f "$ADDON" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANTED" ]; then
  echo "==> TensorFlow.js: libtensorflow $TF_VERSION ($MODE) and its addon present"
  exit 0
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
  echo "error: $PYTHON has no pip, which fetches libtensorflow from PyPI: install python3-pip (bash scripts/setup.sh does), or set PYTHON to a Python with pip" >&2
  exit 1
fi
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/rlaif/tfjs-wheels"
mkdir -p "$CACHE"
# The wheel's libraries do not link libpython: any CPython tag serves, so pin one for a deterministic download.
download() {
  "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux_2_27_x86_64 --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 -d "$CACHE" "$@"
}
started=$(date +%s)
if [ "$MODE" = gpu ]; then WHEEL_NAME=tensorflow; else WHEEL_NAME=tensorflow-cpu; fi
echo "==> TensorFlow.js: fetching $WHEEL_NAME==$TF_VERSION from PyPI (cached in $CACHE)"
download "$WHEEL_NAME==$TF_VERSION"
WHEEL=$(ls "$CACHE"/"${WHEEL_NAME//-/_}"-"$TF_VERSION"-*.whl | head -n 1)

echo "==> TensorFlow.js: unpacking libtensorflow into $DEPS"
rm -rf "$DEPS"
mkdir -p "$DEPS/lib" "$DEPS/include"
"$PYTHON" - "$WHEEL" "$DEPS" <<'PY'
import sys, zipfile, os, shutil
wheel, deps = sys.argv[1], sys.argv[2]
libs = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
# The C API headers and the few tsl/xla headers they include (not the 270 MB C++ tree).
headers = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/ctstring',
           'tensorflow/include/tsl/platform/ctstring', 'tensorflow/include/xla/tsl/c/')
with zipfile.ZipFile(wheel) as z:
    found = set()
    for name in z.namelist():
        if name in libs:
            target = os.path.join(deps, 'lib', os.path.basename(name))
            found.add(name)
        elif name.startswith(headers) and not name.endswith('/'):
            target = os.path.join(deps, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    missing = libs - found
    if missing:
        sys.exit(f'error: {wheel} has no {", ".join(sorted(missing))}: the wheel layout changed; pin another TF_VERSION')
PY
(
  cd "$DEPS/lib"
  # Names the binding links (-ltensorflow -ltensorflow_framework) and the 2.9.1 marker whose presence makes
  # tfjs-node's own installer skip its download (`npm rebuild` then keeps this libtensorflow).
  ln -sf libtensorflow_cc.so.2 libtensorflow.so
  ln -sf libtensorflow_framework.so.2 libtensorflow_framework.so
  ln -sf libtensorflow_cc.so.2 libtensorflow.so.2.9.1
  ln -sf libtensorflow_framework.so.2 libtensorflow_framework.so.2.9.1
)

if [ "$MODE" = gpu ]; then
  # The CUDA 12 / cuDNN 9 runtime: the nvidia-*-cu12 wheels the and-cuda extra names, their lib folders under deps/nvidia.
  NVIDIA=$("$PYTHON" - "$WHEEL" <<'PY'
import sys, zipfile, re
with zipfile.ZipFile(sys.argv[1]) as z:
    meta = next(n for n in z.namelist() if n.endswith('.dist-info/METADATA'))
    for line in z.read(meta).decode().splitlines():
        if line.startswith('Requires-Dist:') and 'and-cuda' in line and 'nvidia-' in line:
            print(re.split(r'\s*;', line[len('Requires-Dist:'):].strip())[0].replace(' ', ''))
PY
)
  echo "==> TensorFlow.js: fetching the CUDA wheels: $(echo $NVIDIA | tr '\n' ' ')"
  # shellcheck disable=SC2086
  download $NVIDIA
  "$PYTHON" - "$CACHE" "$DEPS" $NVIDIA <<'PY'
import sys, zipfile, os, shutil, glob, re
cache, deps, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
for spec in specs:
    name = re.split(r'[<>=!~]', spec)[0].replace('-', '_')
    wheel = sorted(glob.glob(os.path.join(cache, f'{name}-*.whl')))[-1]
    with zipfile.ZipFile(wheel) as z:
        for member in z.namelist():
            if member.startswith('nvidia/') and '/lib/' in member and not member.endswith('/'):
                target = os.path.join(deps, member)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with z.open(member) as src, open(target, 'wb') as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
PY
  # Copied out of site-packages the libraries' RPATHs no longer resolve: name every folder at run time.
  {
    echo "# source this before running rlaif with @rlaif/backend-tfjs on a GPU"
    echo "export LD_LIBRARY_PATH=\"$(cd "$DEPS" && for d in nvidia/*/lib; do printf '%s:' "$PWD/$d"; done)\${LD_LIBRARY_PATH:-}\""
    echo "export TF_FORCE_GPU_ALLOW_GROWTH=true"
  } > "$DEPS/gpu-env.sh"
fi

echo "==> TensorFlow.js: building the tfjs-node addon from source against libtensorflow $TF_VERSION"
NODE_DIR=$(dirname "$(dirname "$(command -v node)")")
if [ ! -f "$NODE_DIR/include/node/node_api.h" ]; then
  echo "error: no Node headers at $NODE_DIR/include/node (the addon build needs them): install your distribution's nodejs-dev / libnode-dev, or a Node from nodejs.org" >&2
  exit 1
fi
NODE_GYP=$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js
[ -f "$NODE_GYP" ] || NODE_GYP=$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js
(
  cd "$PKG"
  rm -rf build lib
  node "$NODE_GYP" rebuild --nodedir="$NODE_DIR" --jobs=2 \
    --module_name=tfjs_binding --module_path="$PWD/lib/napi-v8" --napi_build_version=8 >"$PWD/deps/build.log" 2>&1 \
    || { echo "error: the tfjs-node addon build failed; the log is $PWD/deps/build.log" >&2; tail -n 20 "$PWD/deps/build.log" >&2; exit 1; }
)
[ -f "$ADDON" ] || { echo "error: the build produced no $ADDON; the log is $DEPS/build.log" >&2; exit 1; }
echo "$WANTED" > "$STAMP"
echo "==> TensorFlow.js ready: $(du -sh "$DEPS" | cut -f1) in $DEPS, $(($(date +%s) - started)) s"
if [ "$MODE" = gpu ]; then echo "    before each run: source $PWD/$DEPS/gpu-env.sh"; fi
