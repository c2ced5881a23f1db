#!/usr/bin/env bash
# Cassandra restore time against backup time for the same data, in one run: Wire's four keyspaces with TABLES tables
# between them (Wire has 102) and ROWS rows each, in a real Cassandra 5.0.4 (as the integration tests start it) behind
# Debian's OpenSSH server on loopback. Times a plain `java -jar wire-backup.jar backup` (Cassandra only), then
# `restore latest --only cassandra --replace --yes` over the live keyspaces (snapshot, truncate, load, count) once
# per restore.cassandra.parallel-loads value in LOADS (1 is one table after another, as before; 4 is the default);
# every row is checked back after each restore. Prints the times and `ratio:` lines.
# Usage: bench/cassandra-restore.sh [TABLES] [ROWS] [LOADS]   (defaults: 100 300 "1 4 8")
set -euo pipefail

TABLES=${1:-100}
ROWS=${2:-300}
LOADS=${3:-1 4 8}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
WORK="$HERE/work/cassandra-restore"
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
  rm -rf "$WORK/data" "$WORK/staging"
}
trap cleanup EXIT

echo "starting Cassandra 5.0.4 with $TABLES tables of $ROWS rows (a minute or two)..."
# a hundred tables need more than the tests' 256 MB of Cassandra heap (a Wire node has several GB)
start_cassandra 1g 0 "$TABLES" "$ROWS"
STORAGE_PORT=$(sed -n 's/^storage_port: //p' "$CASSANDRA_CONFIG")
host="$USER_NAME@127.0.0.1"
mkdir -p "$WORK/routes" "$WORK/staging"
cat > "$WORK/bench.properties" <<PROPS
backup.dir=$WORK/data
backup.routes-dir=$WORK/routes
backup.installation-id=bench
backup.ssh.identity-file=$WORK/keys/id_ed25519
backup.ssh.known-hosts=$WORK/keys/known_hosts
backup.cassandra.hosts=$host:$PORT
backup.cassandra.data-dir=$CASSANDRA_DATA
backup.cassandra.nodetool=$CASSANDRA_NODETOOL
backup.cassandra.config-file=$CASSANDRA_CONFIG
backup.cassandra.cql-address=127.0.0.1
backup.cassandra.cql-port=$CASSANDRA_CQL_PORT
restore.cassandra.sstableloader=$CASSANDRA_SSTABLELOADER -sp $STORAGE_PORT
restore.cassandra.staging-dir=$WORK/staging
PROPS

wb() { java -Xmx256m -jar "$JAR" "$@" --config "$WORK/bench.properties"; }
rows_line() { grep -E '^ +[a-z]+\.table_[0-9]+ +[0-9]+' "$1" | awk '{ s += $2 } END { print NR " tables, " s " rows" }'; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(now); wb backup > "$WORK/backup.log" 2>&1 || { tail -30 "$WORK/backup.log" >&2; exit 1; }; t1=$(now)
backup=$(echo "$t1 - $t0" | bc -l)
echo "backup: ${backup}s"

restore() { # PARALLEL-LOADS
  sed -i '/^restore.cassandra.parallel-loads=/d' "$WORK/bench.properties"
  echo "restore.cassandra.parallel-loads=$1" >> "$WORK/bench.properties"
  sleep 1.1 # a restore's id is a second
  t0=$(now)
  wb restore latest --only cassandra --replace --yes > "$WORK/restore-$1.log" 2>&1 \
    || { tail -40 "$WORK/restore-$1.log" >&2; exit 1; }
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
expected="$TABLES tables, $((TABLES * ROWS)) rows"
declare -A took
for p in $LOADS; do
  took[$p]=$(restore "$p")
  echo "restore, $p loads at a time: ${took[$p]}s ($(rows_line "$WORK/restore-$p.log"))"
  [ "$(rows_line "$WORK/restore-$p.log")" = "$expected" ] || { echo "restore-$p: not every row is back" >&2; exit 1; }
done

echo
echo "Cassandra: $TABLES tables in 4 keyspaces, $ROWS rows each, one node, SSH on loopback" \
     "($(nproc) cores, load $LOAD_BEFORE before the backup, $(cut -d' ' -f1-3 /proc/loadavg) at the end);" \
     "whole commands as run by hand:"
printf "  %-58s %8.1f s\n" "backup (Cassandra only)" "$backup"
for p in $LOADS; do
  printf "  %-58s %8.1f s\n" "restore --replace, restore.cassandra.parallel-loads=$p" "${took[$p]}"
done
for p in $LOADS; do
  echo "ratio: restore (parallel-loads=$p) / backup = $(awk -v a="${took[$p]}" -v b="$backup" 'BEGIN { printf "%.2f", a / b }')"
done
first=${LOADS%% *}
for p in $LOADS; do
  [ "$p" = "$first" ] && continue
  echo "ratio: restore parallel-loads=$first / parallel-loads=$p = $(awk -v a="${took[$first]}" -v b="${took[$p]}" 'BEGIN { printf "%.2f", a / b }')"
done
