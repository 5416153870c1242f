#!/usr/bin/env bash
# Code lines per package under src/main/java/dev/rolesynth: lines that are not blank, not comments
# (// and /* ... */ blocks), not imports and not the package line. The count docs/adding-a-pipeline.md
# reports per method. Usage: tools/code-lines.sh [ROOT]
set -euo pipefail
root="${1:-src/main/java/dev/rolesynth}"
for dir in "$root"/*/; do
  n=$(find "$dir" -name '*.java' -print0 | xargs -0 cat | awk '
    { s = $0; sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s) }
    inblock { if (index(s, "*/")) inblock = 0; next }
    s ~ /^\/\*/ { if (!index(s, "*/")) inblock = 1; next }
    s == "" || s ~ /^\/\// || s ~ /^import / || s ~ /^package / { next }
    { n++ }
    END { print n + 0 }')
  printf '%-15s %s\n' "$(basename "$dir")" "$n"
done
