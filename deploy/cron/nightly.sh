#!/usr/bin/env bash
# Nightly run for plain cron. Crontab line (02:30 UTC, logs kept per day):
#   30 2 * * * /opt/rolesynth/deploy/cron/nightly.sh ditto >> /var/log/rolesynth/nightly.log 2>&1
# Exit codes: 0 done (or already done today), 2 bad configuration, 3 too many failed records, 1 other.
# S3 credentials for configs/nightly.yaml: this machine's AWS chain (environment, ~/.aws profile, instance role).
set -euo pipefail
pipeline="${1:-ditto}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
jar="${ROLESYNTH_JAR:-$here/target/rolesynth-0.1.0-bundled.jar}"
run_date="$(date -u +%F)"
# One run at a time per pipeline: a slow night must not overlap the next.
exec 9>"/tmp/rolesynth-nightly-$pipeline.lock"
flock -n 9 || { echo "nightly: $pipeline is still running from an earlier start; skipping"; exit 0; }
echo "nightly: $pipeline for $run_date starting at $(date -u +%FT%TZ)"
java -jar "$jar" --config="$here/configs/nightly.yaml" --pipeline="$pipeline" --runDate="$run_date" "${@:2}"
