#!/usr/bin/env bash
# Starts a real Flink 1.19 session cluster on this machine from Maven-resolved jars (no flink-dist):
# one JobManager (REST on 127.0.0.1:8081) and N TaskManagers, each its own JVM. Waits until every
# TaskManager has registered, records the pids, and prints how to submit and how to stop.
#
#   deploy/flink-local/start.sh [--taskmanagers N] [--slots S] [--port P] [--dir DIR]
#   deploy/flink-local/stop.sh  [--dir DIR]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
taskmanagers=2
slots=2
port=8081
dir="${FLINK_LOCAL_DIR:-$here/.run}"
while [ $# -gt 0 ]; do
  case "$1" in
    --taskmanagers) taskmanagers="$2"; shift 2 ;;
    --slots) slots="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "start.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mkdir -p "$dir/conf" "$dir/log" "$dir/tmp" "$dir/pids"
if ls "$dir"/pids/*.pid >/dev/null 2>&1; then
  for f in "$dir"/pids/*.pid; do
    if kill -0 "$(cat "$f")" 2>/dev/null; then
      echo "start.sh: a cluster from $dir is still running (pid $(cat "$f")); run stop.sh first" >&2
      exit 1
    fi
  done
  rm -f "$dir"/pids/*.pid
fi
# No process of an earlier cluster is left, so neither is any use of its scratch space: each job's
# jar (about 300 MB) is copied into every TaskManager's blob cache there, and a TaskManager that
# comes back under the same id does not clear what its predecessor kept.
rm -rf "${dir:?}/tmp"
mkdir -p "$dir/tmp"

# 1. The cluster's class path, resolved once (and again when the pom changes).
if [ ! -s "$dir/cp.txt" ] || [ "$here/pom.xml" -nt "$dir/cp.txt" ]; then
  mvn -B -q -ntp -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$dir/cp.txt"
fi
cp="$(cat "$dir/cp.txt")"

# 2. Configuration: everything on localhost, small memory, fast re-registration.
cat > "$dir/conf/config.yaml" <<CONF
jobmanager.rpc.address: localhost
jobmanager.bind-host: localhost
jobmanager.rpc.port: 6123
rest.address: localhost
rest.bind-address: localhost
rest.port: $port
taskmanager.host: localhost
taskmanager.bind-host: localhost
jobmanager.memory.process.size: 1024m
taskmanager.memory.process.size: 3072m
# Every job brings its own copy of Beam, loaded into the TaskManager's metaspace (about 30 MB a job),
# and a finished Beam job's classes are not all given back on a session cluster (Beam's own leaks,
# apache/beam#25510): the default 256 MB ran out after eight jobs. deploy/README.md, "Session clusters".
taskmanager.memory.jvm-metaspace.size: 768m
# A Beam batch job has a few hundred tasks for the longer pipelines (every LLM stage is a shuffle):
# the default network memory (about 110 MB) runs out of buffers.
taskmanager.memory.network.min: 512mb
taskmanager.memory.network.max: 512mb
# Each blocking result partition reserves this many buffers (default 512): with dozens of stages
# running in one region, the default exhausts even 512 MB of network memory.
taskmanager.network.sort-shuffle.min-buffers: 64
# Managed memory (off heap) only sorts Beam's shuffles, which are small here; the default 40 % of
# the process would leave a task heap of 184 MB, less than LIMA-Role's language models alone need.
taskmanager.memory.managed.fraction: 0.1
taskmanager.numberOfTaskSlots: $slots
parallelism.default: $slots
io.tmp.dirs: $dir/tmp
cluster.registration.error-delay: 1000
# Every process is on this machine: a TaskManager whose process is gone refuses the heartbeat at
# once, and two refused heartbeats (3 s apart) give its slots up, so a job retried from the cache
# starts on its replacement within seconds. A live one on two busy cores can be slow to answer
# while it takes a job's few hundred task deployments on its main thread: the cluster test saw
# CharacterChat's job failed by a 15 s heartbeat timeout, and by the 10 s deployment acknowledgement,
# while the TaskManager was logging a thousand lines a second. So silence is given 60 s.
heartbeat.interval: 3000
heartbeat.rpc-failure-threshold: 2
heartbeat.timeout: 60000
pekko.ask.timeout: 60 s
# A finished job's jar leaves the TaskManagers' blob caches after a minute (Flink keeps it an hour):
# the cluster test's seventeen jobs otherwise held 8 GB here until the hour was up.
blob.service.cleanup.interval: 60
CONF
cat > "$dir/conf/log4j.properties" <<'CONF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
CONF

# The module options Flink's own scripts pass on Java 17.
opens="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

# 3. Memory flags and dynamic settings, computed as the flink-dist scripts do (a TaskManager started
#    without them fails: "taskmanager.cpu.cores is not set").
resource_params() {
  "$java" -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$dir/conf" 2>/dev/null \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}
mapfile -t jm < <(resource_params GET_JM_RESOURCE_PARAMS)
mapfile -t tm < <(resource_params GET_TM_RESOURCE_PARAMS)
if [ "${#jm[@]}" -lt 2 ] || [ "${#tm[@]}" -lt 2 ]; then
  echo "start.sh: could not compute Flink's memory settings (BashJavaUtils)" >&2
  exit 1
fi

launch() { # name, main class, jvm flags, dynamic settings
  local name="$1" main="$2" jvm="$3" dyn="$4"
  # shellcheck disable=SC2086
  nohup "$java" $jvm $opens -Dlog.file="$dir/log/$name.log" -Dlog4j.configurationFile="$dir/conf/log4j.properties" \
    -cp "$cp" "$main" --configDir "$dir/conf" $dyn > "$dir/log/$name.out" 2>&1 &
  echo $! > "$dir/pids/$name.pid"
}

# GET on the REST API: curl when the machine has it, else bash's own /dev/tcp.
rest_json() {
  if command -v curl >/dev/null 2>&1; then
    curl -sf "http://127.0.0.1:$port/$1" 2>/dev/null || true
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /%s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&3 \
      && sed '1,/^\r$/d' <&3) 2>/dev/null || true
  fi
}

wait_for() { # what, seconds, command that succeeds when ready
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  echo "start.sh: $what not ready after ${seconds}s; logs in $dir/log" >&2
  "$here/stop.sh" --dir "$dir" >/dev/null 2>&1 || true
  exit 1
}

started=$(date +%s)
launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "${jm[0]}" "${jm[1]}"
rest_up() {
  [ -n "$(rest_json overview)" ]
}
wait_for "the JobManager REST endpoint" 90 rest_up
for i in $(seq 1 "$taskmanagers"); do
  launch "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner "${tm[0]}" \
    "${tm[1]} -Dtaskmanager.resource-id=tm-$i"
done
registered() {
  [ "$(rest_json overview | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p')" = "$taskmanagers" ]
}
wait_for "$taskmanagers TaskManagers" 120 registered

echo "flink-local: JobManager and $taskmanagers TaskManagers ($slots slots each) up in $(( $(date +%s) - started ))s"
echo "flink-local: REST/UI http://localhost:$port ; pids in $dir/pids ; logs in $dir/log"
echo "flink-local: submit with --runner=FlinkRunner --flinkMaster=localhost:$port ; stop with $here/stop.sh${dir:+ --dir $dir}"
