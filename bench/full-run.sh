#!/usr/bin/env bash
# The whole run, in one run of this script: the procedure's own hourly script (../shared/seeds, "Automated regular
# backups": serial ssh | tar | gzip -9, nodetool snapshot, a tar of everything, two scp) against `wire-backup backup`
# doing the same work (the same wire-server folder, Cassandra node, two MinIO dirs and two SSH backup hosts), on
# loopback: Debian's OpenSSH server for every host and a real Cassandra 5.0.4 (as the integration tests start it).
# Rounds alternate (script, then wire-backup); prints the medians and `ratio:` lines, and beside each time the CPU
# time the whole machine spent meanwhile (every process: client, sshd, tar, nodetool, Cassandra), from /proc/stat,
# and where it went: the JVM of wire-backup, the hosts' side (everything sshd ran: its sessions, tar, gzip, zstd,
# OpenSSL, nodetool), the nodetool JVMs among them, and the Cassandra server.
# Usage: bench/full-run.sh [PROFILES] [ROUNDS]   PROFILES: small, big or small,big (default)
#   BENCH_JAR_B=other.jar: each round also runs that build of wire-backup (same archive rules), to compare two builds
#   BENCH_OPTS_B='-XX:...': each round also runs wire-backup (BENCH_JAR_B or this build) with these JVM options added
#   small: a 20 MB text-like wire-server folder plus a 10 MB binary, Cassandra with 3000 users, 2 x 4 MB of MinIO data
#   big:   the same plus 1 GiB of incompressible media in each MinIO dir
# wire-backup runs as README's "Faster start" sets it up: with a class-data sharing archive its first backup by hand
# wrote (untimed here). In the small profile each round also runs it without the archive.
set -euo pipefail

PROFILES=${1:-small,big}
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
WORK="$HERE/work/full-run"
JAR="$TOP/target/wire-backup.jar"
PORT=${BENCH_SSH_PORT:-22424}

# shellcheck source=lib/cassandra.sh
. "$HERE/lib/cassandra.sh"
build_bench

rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck source=lib/sshd.sh
. "$HERE/lib/sshd.sh"
cleanup() {
  stop_sshd
  stop_cassandra
  rm -rf "$WORK/hosts" "$WORK/script" "$WORK/wire-backup/data" "$WORK/cassandra"
}
trap cleanup EXIT

echo "starting Cassandra 5.0.4 (a minute or so)..."
start_cassandra 256m 3000
CASSANDRA_SERVER_PID=$(pgrep -f "cassandra.config=file://$WORK/cassandra/" | head -1)
# nodetool through /usr/bin/time, for both sides, so that the CPU of its JVMs shows on its own
REAL_NODETOOL=$CASSANDRA_NODETOOL
CASSANDRA_NODETOOL="$WORK/nodetool-timed"
printf '#!/bin/sh\nexec /usr/bin/time -f "%%U %%S" -a -o %s %s "$@"\n' "$WORK/nodetool.cpu" "$REAL_NODETOOL" \
  > "$CASSANDRA_NODETOOL"
chmod +x "$CASSANDRA_NODETOOL"

HOSTS="$WORK/hosts"
WIRE_PARENT="$HOSTS/wire"
MINIO_PARENT="$HOSTS/minio"
OFFSITE="$HOSTS/offsite"
make_installation() { # PROFILE
  rm -rf "$HOSTS"
  mkdir -p "$WIRE_PARENT/wire-server/bin" "$OFFSITE"/{script-one,script-two,wb-one,wb-two}
  for i in $(seq 400); do
    mkdir -p "$WIRE_PARENT/wire-server/values/chart$((i % 20))"
    head -c 37500 /dev/urandom | base64 > "$WIRE_PARENT/wire-server/values/chart$((i % 20))/values-$i.yaml"
  done
  head -c $((10 * 1024 * 1024)) /dev/urandom > "$WIRE_PARENT/wire-server/bin/helm"
  for server in minio-server1 minio-server2; do
    for i in $(seq 200); do
      mkdir -p "$MINIO_PARENT/$server/assets/object-$i"
      head -c 20480 /dev/urandom > "$MINIO_PARENT/$server/assets/object-$i/part.1"
      printf 'xl.meta %s\n' "$i" > "$MINIO_PARENT/$server/assets/object-$i/xl.meta"
    done
    if [ "$1" = big ]; then
      for i in $(seq 8); do
        mkdir -p "$MINIO_PARENT/$server/media/video-$i"
        head -c $((128 * 1024 * 1024)) /dev/urandom > "$MINIO_PARENT/$server/media/video-$i/part.1"
      done
    fi
  done
}

SCRIPT_HOME="$WORK/script"
host="$USER_NAME@127.0.0.1"
# The procedure's script as the seed document writes it, on this bench's hosts: its broken quote on the snapshot line
# fixed, its example keyspace (catalogkeyspace) replaced by Wire's, ssh and scp given the bench's port, key and
# known_hosts; /home/myuser/backup is $SCRIPT_HOME.
cat > "$WORK/procedure.sh" <<SCRIPT
#!/bin/bash
ssh() { command ssh -p $PORT ${SSH_OPTS[*]} "\$@"; }
scp() { command scp -P $PORT ${SSH_OPTS[*]} "\$@"; }

mkdir -p $SCRIPT_HOME/data/

# Back up wire-server folder
ssh $host 'cd $WIRE_PARENT/ && tar -cf - wire-server | gzip -9' > $SCRIPT_HOME/data/wire-server-backup.tar.gz

# Cause Cassandra to generate new snapshots
ssh $host '$CASSANDRA_NODETOOL snapshot --tag catalog-ks brig galley'

# Backup Cassandra snapshots to a file
ssh $host 'find $CASSANDRA_DATA/ -name "snapshots" -print0 | tar -cvf - --null -T - | gzip -9 ' > $SCRIPT_HOME/data/cassandra-batch.tar.gz

# Backup MinIO files
ssh $host 'cd $MINIO_PARENT/ && tar -cf - minio-server1 | gzip -9' > $SCRIPT_HOME/data/minio-server1-backup.tar.gz
ssh $host 'cd $MINIO_PARENT/ && tar -cf - minio-server2 | gzip -9' > $SCRIPT_HOME/data/minio-server2-backup.tar.gz

# Tar all backup files into a single unified archive
tar -cf $SCRIPT_HOME/full-backup.tar $SCRIPT_HOME/data/*

# Make remote copies of this single file to remote hosts for redundancy
scp $SCRIPT_HOME/full-backup.tar $host:$OFFSITE/script-one/
scp $SCRIPT_HOME/full-backup.tar $host:$OFFSITE/script-two/
SCRIPT
chmod +x "$WORK/procedure.sh"

WB="$WORK/wire-backup"
mkdir -p "$WB/routes"
for name in one two; do
  cat > "$WB/routes/offsite-$name.yaml" <<YAML
- route:
    id: offsite-$name
    group: wire-backup-destination
    from:
      uri: direct:destination-offsite-$name
      steps:
        - to:
            uri: kamelet:backup-scp-sink
            parameters:
              host: "$host:$PORT"
              directory: "$OFFSITE/wb-$name"
              keep: 1
YAML
done
cat > "$WB/bench.properties" <<PROPS
backup.dir=$WB/data
backup.routes-dir=$WB/routes
backup.installation-id=bench
backup.retention.keep=1
backup.ssh.identity-file=$WORK/keys/id_ed25519
backup.ssh.known-hosts=$WORK/keys/known_hosts
backup.wire-server.host=$host:$PORT
backup.wire-server.path=$WIRE_PARENT/wire-server
backup.cassandra.hosts=$host:$PORT
backup.cassandra.data-dir=$CASSANDRA_DATA
backup.cassandra.nodetool=$CASSANDRA_NODETOOL
backup.cassandra.config-file=$CASSANDRA_CONFIG
backup.cassandra.cql-address=127.0.0.1
backup.cassandra.cql-port=$CASSANDRA_CQL_PORT
backup.minio.hosts=$host:$PORT
backup.minio.dirs=$MINIO_PARENT/minio-server1,$MINIO_PARENT/minio-server2
PROPS

# CPU seconds the machine has spent so far, all processes (user, nice, system, irq, softirq)
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / hz }' /proc/stat; }

# CPU seconds of a process and of the children it has reaped (sshd reaps its sessions, which reap their commands)
process_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13 + $14 + $15) / hz }' "/proc/$1/stat"; }
nodetool_cpu() { awk '{ s += $1 + $2 } END { printf "%.2f", s }' "$WORK/nodetool.cpu" 2>/dev/null || echo 0; }
breakdown_start() { : > "$WORK/nodetool.cpu"; r0=$(process_cpu "$(cat "$WORK/sshd.pid")"); k0=$(process_cpu "$CASSANDRA_SERVER_PID"); }
# writes "HOSTS NODETOOL CASSANDRA" CPU seconds since breakdown_start
breakdown_end() {
  echo "$(echo "$(process_cpu "$(cat "$WORK/sshd.pid")") - $r0" | bc -l) $(nodetool_cpu)" \
       "$(echo "$(process_cpu "$CASSANDRA_SERVER_PID") - $k0" | bc -l)" > "$WORK/breakdown.$1"
}
breakdown() { read -r h n k < "$WORK/breakdown.$1"; printf "hosts' side %.1f (nodetool %.1f), Cassandra %.1f" "$h" "$n" "$k"; }

# each prints: wall seconds, machine CPU seconds
run_script() {
  rm -rf "$SCRIPT_HOME"
  local t0 t1 c0 c1
  breakdown_start
  c0=$(cpu_seconds); t0=$(now)
  "$WORK/procedure.sh" > "$WORK/procedure.log" 2>&1 || { cat "$WORK/procedure.log" >&2; exit 1; }
  t1=$(now); c1=$(cpu_seconds)
  breakdown_end script
  [ -s "$OFFSITE/script-two/full-backup.tar" ] || { echo "the script made no second copy" >&2; exit 1; }
  script_bytes=$(stat -c %s "$SCRIPT_HOME/full-backup.tar")
  # the script never clears its snapshot: done here, outside its time, so that rounds stay alike
  "$CASSANDRA_NODETOOL" clearsnapshot -t catalog-ks > /dev/null
  rm -f "$OFFSITE"/script-*/full-backup.tar
  echo "$(echo "$t1 - $t0" | bc -l) $(echo "$c1 - $c0" | bc -l)"
}

CDS_ARCHIVE="$WB/wire-backup.jsa"
archive_of() { if [ "$1" = "$JAR" ]; then echo "$CDS_ARCHIVE"; else echo "$CDS_ARCHIVE.b"; fi; }
JAR_B=${BENCH_JAR_B:-}
if [ -z "$JAR_B" ] && [ -n "${BENCH_OPTS_B:-}" ]; then JAR_B=$JAR; fi
read -ra OPTS_B <<< "${BENCH_OPTS_B:-}"
# the first backup by hand with a build, writing its archive (untimed), once
write_archive() { # JAR
  local archive; archive=$(archive_of "$1")
  [ -f "$archive" ] && return 0
  echo "  the first backup by hand with $1, writing its class-data sharing archive (untimed)..."
  java -XX:ArchiveClassesAtExit="$archive" -Xmx256m -jar "$1" backup --config "$WB/bench.properties" \
    > "$WORK/wire-backup-cds.log" 2>&1 || { cat "$WORK/wire-backup-cds.log" >&2; exit 1; }
}
run_wire_backup() { # cds | plain [JAR [JVM OPTIONS...]]
  local t0 t1 c0 c1 share=() jar=${2:-$JAR}
  local extra=("${@:3}")
  [ "$1" = cds ] && share=(-XX:SharedArchiveFile="$(archive_of "$jar")")
  breakdown_start
  c0=$(cpu_seconds); t0=$(now)
  /usr/bin/time -f '%U %S' -o "$WORK/wire-backup.time" \
    java "${share[@]}" "${extra[@]}" -Xmx256m -jar "$jar" backup --config "$WB/bench.properties" > "$WORK/wire-backup.log" 2>&1 \
    || { cat "$WORK/wire-backup.log" >&2; exit 1; }
  t1=$(now); c1=$(cpu_seconds)
  breakdown_end wire-backup
  record=$(ls -t "$WB"/data/runs/*/run.json | head -1)
  grep -q '"status" : "ok"' "$record" || { echo "wire-backup's run is not ok" >&2; cat "$record" >&2; exit 1; }
  wb_bytes=$(ls -1 "$OFFSITE"/wb-two/full-backup-*.tar* | grep -v '\.sha256$' | head -1 | xargs stat -c %s)
  cp "$record" "$WORK/last-$profile-run.json"
  cp "$WORK/wire-backup.log" "$WORK/last-$profile-run.log"
  echo "$(echo "$t1 - $t0" | bc -l) $(echo "$c1 - $c0" | bc -l) $(awk '{ print $1 + $2 }' "$WORK/wire-backup.time")"
}

summary=()
IFS=, read -ra profile_list <<< "$PROFILES"
for profile in "${profile_list[@]}"; do
  echo "profile $profile: making the installation..."
  make_installation "$profile"
  rm -rf "$WB/data"
  write_archive "$JAR"
  if [ -n "$JAR_B" ]; then write_archive "$JAR_B"; fi
  script_times=(); wb_times=(); script_cpu=(); wb_cpu=(); wb_jvm_cpu=(); plain_times=(); b_times=()
  for round in $(seq "$ROUNDS"); do
    read -r t c < <(run_script) && [ -n "$c" ] || exit 1
    script_times+=("$t"); script_cpu+=("$c")
    read -r t c j < <(run_wire_backup cds) && [ -n "$j" ] || exit 1
    wb_times+=("$t"); wb_cpu+=("$c"); wb_jvm_cpu+=("$j")
    printf "  round %s: procedure script %.2f s (%.1f CPU-s), wire-backup backup %.2f s (%.1f CPU-s, %.1f of them its JVM), load %s\n" \
      "$round" "${script_times[-1]}" "${script_cpu[-1]}" "${wb_times[-1]}" "${wb_cpu[-1]}" "${wb_jvm_cpu[-1]}" \
      "$(cut -d' ' -f1 /proc/loadavg)"
    printf "           CPU-s of the script's run: %s; of wire-backup's: %s\n" "$(breakdown script)" "$(breakdown wire-backup)"
    if [ -n "$JAR_B" ]; then
      read -r t c j < <(run_wire_backup cds "$JAR_B" "${OPTS_B[@]}") && [ -n "$j" ] || exit 1
      b_times+=("$t")
      printf "           B (%s %s): wire-backup backup %.2f s (%.1f CPU-s, %.1f of them its JVM)\n" "$JAR_B" "${OPTS_B[*]}" "$t" "$c" "$j"
    fi
    if [ "$profile" = small ]; then
      read -r t c j < <(run_wire_backup plain) && [ -n "$j" ] || exit 1
      plain_times+=("$t")
      printf "           without the archive: wire-backup backup %.2f s (%.1f CPU-s, %.1f of them its JVM)\n" "$t" "$c" "$j"
    fi
  done
  s=$(median "${script_times[@]}"); w=$(median "${wb_times[@]}")
  summary+=("$(printf "  %-6s procedure script %7.1f s, %5.1f CPU-s (%s bytes)   wire-backup backup %7.1f s, %5.1f CPU-s (%s bytes)" \
    "$profile" "$s" "$(median "${script_cpu[@]}")" "$(stat -c %s "$SCRIPT_HOME/full-backup.tar")" "$w" \
    "$(median "${wb_cpu[@]}")" \
    "$(ls -1 "$OFFSITE"/wb-two/full-backup-*.tar* | grep -v '\.sha256$' | head -1 | xargs stat -c %s)")")
  summary+=("ratio: wire-backup backup / procedure script, $profile = $(awk -v a="$w" -v b="$s" 'BEGIN { printf "%.2f", a / b }')")
  if [ ${#b_times[@]} -gt 0 ]; then
    summary+=("ratio: B ($JAR_B ${OPTS_B[*]}) / procedure script, $profile = $(awk -v a="$(median "${b_times[@]}")" -v b="$s" 'BEGIN { printf "%.2f", a / b }')")
  fi
  if [ ${#plain_times[@]} -gt 0 ]; then
    summary+=("ratio: wire-backup backup without its CDS archive / procedure script, $profile = $(awk -v a="$(median "${plain_times[@]}")" -v b="$s" 'BEGIN { printf "%.2f", a / b }')")
  fi
done
echo
echo "Whole run on loopback, median of $ROUNDS rounds ($(nproc) cores, load after: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '%s\n' "${summary[@]}"
