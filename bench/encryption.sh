#!/usr/bin/env bash
# Encryption: what the age format costs, measured side by side in one run.
#  1. The cipher alone, the same file: Go's `age -r` (Debian's age), wire-backup's chunk-parallel stream
#     (org.wirebackup.crypto.AgeEncryptingOutputStream, one thread per core) and jagged's own one-thread channel.
#  2. The whole run: `wire-backup backup` of two MinIO data dirs of incompressible media (SIZE_MB each) and a
#     wire-server folder, over Debian's OpenSSH server on loopback, plain and encrypted, rounds alternating.
#     Without Cassandra: its fixed cost of ~20 s per run would only shrink the ratio.
# Usage: bench/encryption.sh [SIZE_MB] [ROUNDS]    Needs: age (Debian's package; installed when missing).
set -euo pipefail

SIZE_MB=${1:-1024}
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
WORK="$HERE/work/encryption"
JAR="$TOP/target/wire-backup.jar"
PORT=${BENCH_SSH_PORT:-22425}
JAVA=${JAVA:-java}

[ -f "$JAR" ] && [ -d "$TOP/target/test-classes/org/wirebackup/crypto" ] \
  || (cd "$TOP" && mvn -B -q -DskipTests package)
if ! command -v age >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq age >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq age >/dev/null; fi
fi

rm -rf "$WORK"
mkdir -p "$WORK/routes" "$WORK/wire-host/home/wire/wire-server"
# shellcheck source=lib/sshd.sh
. "$HERE/lib/sshd.sh"
cleanup() { stop_sshd; rm -rf "$WORK/minio-host" "$WORK/data" "$WORK/cipher"; }
trap cleanup EXIT

"$JAVA" -jar "$JAR" keygen "$WORK/keys/age-key.txt" > "$WORK/recipient.txt" 2>/dev/null
RECIPIENT=$(cat "$WORK/recipient.txt")

# 1. the cipher alone
mkdir -p "$WORK/cipher"
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$WORK/cipher/plain"
BYTES=$((SIZE_MB * 1024 * 1024))
CP="$JAR:$TOP/target/test-classes"
age_s=(); wb_s=(); jagged_s=()
for round in $(seq "$ROUNDS"); do
  rm -f "$WORK/cipher/out"; sync
  t0=$(now); age -r "$RECIPIENT" -o "$WORK/cipher/out" "$WORK/cipher/plain"; t1=$(now)
  age_s+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/cipher/out"; sync
  wb_s+=("$("$JAVA" -Xmx256m -cp "$CP" org.wirebackup.crypto.AgeThroughput "wire-backup-$(nproc)" \
      "$WORK/cipher/plain" "$RECIPIENT" "$WORK/cipher/out")")
  age -d -i "$WORK/keys/age-key.txt" "$WORK/cipher/out" | cmp -s - "$WORK/cipher/plain" \
    || { echo "age -d does not give back what wire-backup encrypted" >&2; exit 1; }
  rm -f "$WORK/cipher/out"; sync
  jagged_s+=("$("$JAVA" -Xmx256m -cp "$CP" org.wirebackup.crypto.AgeThroughput jagged \
      "$WORK/cipher/plain" "$RECIPIENT" "$WORK/cipher/out")")
  echo "cipher round $round: age ${age_s[-1]}s, wire-backup ${wb_s[-1]}s, jagged one thread ${jagged_s[-1]}s"
done
rm -rf "$WORK/cipher"

# 2. the whole run, plain and encrypted
for n in 1 2; do
  mkdir -p "$WORK/minio-host/var/lib/minio-server$n/wire-assets"
  for i in $(seq $((SIZE_MB / 64))); do
    head -c $((64 * 1024 * 1024)) /dev/urandom > "$WORK/minio-host/var/lib/minio-server$n/wire-assets/object-$i"
  done
done
for i in $(seq 200); do head -c 4096 /dev/urandom | base64 > "$WORK/wire-host/home/wire/wire-server/file-$i.yaml"; done
settings() {
  cat <<PROPS
backup.dir=$WORK/data
backup.routes-dir=$WORK/routes
backup.ssh.identity-file=$WORK/keys/id_ed25519
backup.ssh.known-hosts=$WORK/keys/known_hosts
backup.wire-server.host=$USER_NAME@127.0.0.1:$PORT
backup.wire-server.path=$WORK/wire-host/home/wire/wire-server
backup.minio.hosts=$USER_NAME@127.0.0.1:$PORT
backup.minio.dirs=$WORK/minio-host/var/lib/minio-server1,$WORK/minio-host/var/lib/minio-server2
backup.minio.compression=none
PROPS
}
settings > "$WORK/plain.properties"
{ settings; echo "backup.encryption.recipients=$RECIPIENT"; } > "$WORK/encrypted.properties"
plain_s=(); enc_s=()
run_backup() {
  rm -rf "$WORK/data"; sync
  t0=$(now)
  "$JAVA" -Xmx256m -jar "$JAR" backup --config "$WORK/$1.properties" > "$WORK/$1.log" 2>&1 \
    || { echo "the $1 backup failed" >&2; tail -20 "$WORK/$1.log"; exit 1; }
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
FULL_BYTES=0
for round in $(seq "$ROUNDS"); do
  plain_s+=("$(run_backup plain)")
  FULL_BYTES=$(stat -c %s "$WORK"/data/full-backup-*.tar)
  enc_s+=("$(run_backup encrypted)")
  ls "$WORK"/data/full-backup-*.tar.age > /dev/null
  echo "run round $round: plain ${plain_s[-1]}s, encrypted ${enc_s[-1]}s"
done

a=$(median "${age_s[@]}"); w=$(median "${wb_s[@]}"); j=$(median "${jagged_s[@]}")
p=$(median "${plain_s[@]}"); e=$(median "${enc_s[@]}")
echo
echo "Encryption, median of $ROUNDS rounds ($(nproc) cores, $("$JAVA" -version 2>&1 | head -1)," \
     "load before: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf "  %-58s %8s MB/s\n" "age -r (Go, Debian's age $(age --version))" "$(mbps "$BYTES" "$a")"
printf "  %-58s %8s MB/s\n" "wire-backup age stream, $(nproc) threads (jagged's cipher)" "$(mbps "$BYTES" "$w")"
printf "  %-58s %8s MB/s\n" "jagged's own EncryptingChannel, one thread" "$(mbps "$BYTES" "$j")"
echo "ratio: wire-backup age stream / age -r = $(awk -v a="$a" -v b="$w" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: jagged one thread / age -r = $(awk -v a="$a" -v b="$j" 'BEGIN { printf "%.2f", a / b }')"
echo "Whole run ($FULL_BYTES-byte full backup: 2 x $SIZE_MB MiB media, wire-server folder; SSH on loopback):"
printf "  %-58s %8ss\n" "wire-backup backup, plain" "$p"
printf "  %-58s %8ss\n" "wire-backup backup, encrypted to one age recipient" "$e"
echo "ratio: encrypted run / plain run = $(awk -v a="$e" -v b="$p" 'BEGIN { printf "%.2f", a / b }')"
