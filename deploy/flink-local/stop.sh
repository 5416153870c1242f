#!/usr/bin/env bash
# Stops the cluster start.sh started, by the pids it recorded: TERM, then KILL after 20 s.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${FLINK_LOCAL_DIR:-$here/.run}"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    *) echo "stop.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
shopt -s nullglob
pids=()
for f in "$dir"/pids/*.pid; do
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null && pids+=("$pid")
  fi
  rm -f "$f"
done
for _ in $(seq 1 40); do
  alive=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
  [ ${#alive[@]} -eq 0 ] && break
  sleep 0.5
done
for pid in "${alive[@]:-}"; do
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
done
echo "flink-local: stopped ${#pids[@]} process(es)"
