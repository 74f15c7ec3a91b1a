#!/bin/sh
# Generates .d.ts files for @frost-beta/mlx 0.0.7, whose package ships TypeScript *sources* under lib/nn
# and lib/optimizers: `tsc -b` type-checks those with the repo's strict, verbatimModuleSyntax settings
# and fails with ~390 errors inside node_modules. Point the compiler at the generated declarations with
#   "paths": { "@frost-beta/mlx": ["./types/frost-beta-mlx/lib/index.d.ts"] }
# in packages/backend-mlx/tsconfig.json. Run from the repository root:
#   sh packages/backend-mlx/scripts/make-mlx-types.sh [output-dir]
set -eu
root_out="${1:-packages/backend-mlx/types/frost-beta-mlx}"
# The sources import the package root as '../../..', so keep the lib/ layout under a package.json.
out="$root_out/lib"
case "$out" in /*) ;; *) out="$(pwd)/$out" ;; esac
mkdir -p "$out"
printf '{ "name": "@frost-beta/mlx", "private": true, "types": "lib/index.d.ts" }\n' > "$root_out/package.json"
lib="$(pwd)/node_modules/@frost-beta/mlx/lib"
config="$(mktemp -d)/tsconfig.json"
cat > "$config" <<JSON
{ "compilerOptions": { "declaration": true, "emitDeclarationOnly": true, "outDir": "$out",
    "module": "commonjs", "target": "ES2022", "strict": false, "skipLibCheck": true, "rootDir": "$lib",
    "types": ["node"], "typeRoots": ["$(pwd)/node_modules/@types"] },
  "include": ["$lib/**/*.ts"] }
JSON
# lib/stream.ts has a harmless default-import error; declarations are still emitted.
./node_modules/.bin/tsc -p "$config" || true
cp "$lib/index.d.ts" "$out/index.d.ts"
echo "declarations written to $out"
