#!/usr/bin/env bash
# Restore throughput: `wire-backup restore` of a MinIO data directory against the procedure's own
# `cat part | ssh host "cd /var/lib && tar -xf -"`, both to the same OpenSSH server (Debian's openssh-server on
# a loopback port with its own config and keys), in one run. Prints MB/s for each and the ratios.
# Usage: bench/restore-throughput.sh [SIZE_MB] [ROUNDS]
set -euo pipefail

SIZE_MB=${1:-1024}
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
WORK="$HERE/work/restore"
JAR="$TOP/target/wire-backup.jar"
PORT=${BENCH_SSH_PORT:-22424}

[ -f "$JAR" ] || (cd "$TOP" && mvn -B -q -DskipTests package)

rm -rf "$WORK"
MINIO="$WORK/minio-host/var/lib/minio-server1"
mkdir -p "$MINIO/wire-assets" "$WORK/routes"
# shellcheck source=lib/sshd.sh
. "$HERE/lib/sshd.sh"
cleanup() { stop_sshd; rm -rf "$WORK/minio-host" "$WORK/data"; }
trap cleanup EXIT

# MinIO keeps objects as files: 64 MiB ones of random data (incompressible, as media is)
for i in $(seq $((SIZE_MB / 64))); do
  head -c $((64 * 1024 * 1024)) /dev/urandom > "$MINIO/wire-assets/object-$i"
done
BYTES=$(du -sb "$MINIO" | cut -f1)

cat > "$WORK/bench.properties" <<PROPS
backup.dir=$WORK/data
backup.routes-dir=$WORK/routes
backup.ssh.identity-file=$WORK/keys/id_ed25519
backup.ssh.known-hosts=$WORK/keys/known_hosts
backup.minio.hosts=$USER_NAME@127.0.0.1:$PORT
backup.minio.dirs=$MINIO
backup.minio.compression=none
backup.keep-parts=true
PROPS
java -Xmx256m -jar "$JAR" backup --config "$WORK/bench.properties" > "$WORK/backup.log" 2>&1 \
  || { echo "the backup failed" >&2; tail -20 "$WORK/backup.log"; exit 1; }
FULL=$(ls "$WORK"/data/full-backup-*.tar)
PART=$(ls "$WORK"/data/runs/*/minio-*.tar)
listing() { (cd "$1" && find . -printf '%y %m %s %p\n' | sort) | sha256sum; }
EXPECTED=$(listing "$MINIO")

openssh_default=(); openssh_aes=(); wb_part=(); wb_wall=()
for round in $(seq "$ROUNDS"); do
  rm -rf "$MINIO"; sync
  t0=$(now); cat "$PART" | "${SSH[@]}" "cd '$(dirname "$MINIO")' && tar -xf -"; t1=$(now)
  [ "$(listing "$MINIO")" = "$EXPECTED" ] || { echo "openssh restore differs" >&2; exit 1; }
  openssh_default+=("$(echo "$t1 - $t0" | bc -l)")

  rm -rf "$MINIO"; sync
  t0=$(now); cat "$PART" | "${SSH[@]}" -c aes128-gcm@openssh.com "cd '$(dirname "$MINIO")' && tar -xf -"; t1=$(now)
  openssh_aes+=("$(echo "$t1 - $t0" | bc -l)")

  rm -rf "$MINIO" "$WORK/data/restores"; sync
  t0=$(now)
  java -Xmx256m -jar "$JAR" restore "$FULL" --only minio --yes --config "$WORK/bench.properties" > "$WORK/restore.log" 2>&1 \
    || { echo "wire-backup restore failed" >&2; tail -20 "$WORK/restore.log"; exit 1; }
  t1=$(now)
  [ "$(listing "$MINIO")" = "$EXPECTED" ] || { echo "wire-backup restore differs" >&2; exit 1; }
  record=$(ls "$WORK"/data/restores/*/restore.json)
  millis=$(grep -o '"durationMillis" : [0-9]*' "$record" | head -1 | grep -o '[0-9]*$')
  wb_part+=("$(echo "$millis / 1000" | bc -l)")
  wb_wall+=("$(echo "$t1 - $t0" | bc -l)")
  echo "round $round: openssh ${openssh_default[-1]}s, openssh aes128-gcm ${openssh_aes[-1]}s," \
       "wire-backup restore ${wb_part[-1]}s (${wb_wall[-1]}s with JVM start, verify and plan)"
done

o=$(median "${openssh_default[@]}"); oa=$(median "${openssh_aes[@]}")
r=$(median "${wb_part[@]}"); w=$(median "${wb_wall[@]}")
echo
echo "Restore of a $BYTES-byte MinIO data directory over SSH on loopback, median of $ROUNDS rounds" \
     "($(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf "  %-60s %8s MB/s\n" "OpenSSH cat part | ssh 'cd DIR && tar -xf -' (default cipher)" "$(mbps "$BYTES" "$o")"
printf "  %-60s %8s MB/s\n" "OpenSSH same, -c aes128-gcm@openssh.com" "$(mbps "$BYTES" "$oa")"
printf "  %-60s %8s MB/s\n" "wire-backup restore (stream, tar -xpf, file count/size check)" "$(mbps "$BYTES" "$r")"
printf "  %-60s %8s MB/s\n" "wire-backup incl. JVM start, full verify and plan" "$(mbps "$BYTES" "$w")"
echo "ratio: wire-backup restore / OpenSSH default = $(awk -v a="$o" -v b="$r" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup restore / OpenSSH aes128-gcm = $(awk -v a="$oa" -v b="$r" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup incl. JVM start, verify and plan / OpenSSH default = $(awk -v a="$o" -v b="$w" 'BEGIN { printf "%.2f", a / b }')"
