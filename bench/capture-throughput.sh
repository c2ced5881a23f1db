#!/usr/bin/env bash
# Capture throughput: wire-backup against OpenSSH's `ssh host 'cat FILE' > out`, both talking to the same
# OpenSSH server (Debian's openssh-server on a loopback port with its own config and keys), in one run.
# Beside the bare `cat`, OpenSSH doing the capture's whole work: the same remote tar, a SHA-256 of the stream (OpenSSL,
# on the CPU's SHA instructions) and the file synced to disk, the faster of two ways (hash while writing through tee,
# or write then hash the file).
# Prints MB/s for each and the ratios. Usage: bench/capture-throughput.sh [SIZE_MB] [ROUNDS]
set -euo pipefail

SIZE_MB=${1:-1024}
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
WORK="$HERE/work/capture"
JAR="$TOP/target/wire-backup.jar"
PORT=${BENCH_SSH_PORT:-22422}

[ -f "$JAR" ] || (cd "$TOP" && mvn -B -q -DskipTests package)

rm -rf "$WORK"
mkdir -p "$WORK/wire-host/wire-server" "$WORK/routes" "$WORK/out"
# shellcheck source=lib/sshd.sh
. "$HERE/lib/sshd.sh"
cleanup() { stop_sshd; rm -rf "$WORK/wire-host" "$WORK/out" "$WORK/data"; }
trap cleanup EXIT

PAYLOAD="$WORK/wire-host/wire-server/payload.bin"
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$PAYLOAD"
BYTES=$(stat -c %s "$PAYLOAD")

cat > "$WORK/bench.properties" <<PROPS
backup.dir=$WORK/data
backup.routes-dir=$WORK/routes
backup.ssh.identity-file=$WORK/keys/id_ed25519
backup.ssh.known-hosts=$WORK/keys/known_hosts
backup.wire-server.host=$USER_NAME@127.0.0.1:$PORT
backup.wire-server.path=$WORK/wire-host/wire-server
backup.wire-server.compression=none
PROPS


openssh_default=(); openssh_aes=(); openssh_work_tee=(); openssh_work_after=(); wb_capture=(); wb_wall=()
TAR_COMMAND="cd '$WORK/wire-host' && tar -cf - wire-server"
for round in $(seq "$ROUNDS"); do
  t0=$(now); "${SSH[@]}" "cat '$PAYLOAD'" > "$WORK/out/openssh.bin"; t1=$(now)
  [ "$(stat -c %s "$WORK/out/openssh.bin")" = "$BYTES" ] || { echo "openssh copy is short" >&2; exit 1; }
  openssh_default+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/out/openssh.bin"

  t0=$(now); "${SSH[@]}" -c aes128-gcm@openssh.com "cat '$PAYLOAD'" > "$WORK/out/openssh.bin"; t1=$(now)
  openssh_aes+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/out/openssh.bin"

  t0=$(now)
  "${SSH[@]}" -c aes128-gcm@openssh.com "$TAR_COMMAND" | tee "$WORK/out/openssh.tar" | openssl dgst -sha256 -r > /dev/null
  sync -d "$WORK/out/openssh.tar"; t1=$(now)
  openssh_work_tee+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/out/openssh.tar"

  t0=$(now)
  "${SSH[@]}" -c aes128-gcm@openssh.com "$TAR_COMMAND" > "$WORK/out/openssh.tar"
  openssl dgst -sha256 -r "$WORK/out/openssh.tar" > /dev/null; sync -d "$WORK/out/openssh.tar"; t1=$(now)
  openssh_work_after+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/out/openssh.tar"

  rm -rf "$WORK/data"
  t0=$(now); java -Xmx256m -jar "$JAR" backup --config "$WORK/bench.properties" > "$WORK/wire-backup.log" 2>&1; t1=$(now)
  record=$(ls "$WORK"/data/runs/*/run.json)
  captured=$(grep -o '"bytes" : [0-9]*' "$record" | tail -1 | grep -o '[0-9]*$')
  millis=$(grep -o '"durationMillis" : [0-9]*' "$record" | tail -1 | grep -o '[0-9]*$')
  [ "$captured" -gt "$BYTES" ] || { echo "wire-backup capture is short" >&2; cat "$WORK/wire-backup.log"; exit 1; }
  wb_capture+=("$(echo "$millis / 1000" | bc -l)")
  wb_wall+=("$(echo "$t1 - $t0" | bc -l)")
  echo "round $round: openssh ${openssh_default[-1]}s, openssh aes128-gcm ${openssh_aes[-1]}s, the same work (tee / after)" \
       "${openssh_work_tee[-1]}s / ${openssh_work_after[-1]}s, wire-backup capture ${wb_capture[-1]}s (${wb_wall[-1]}s the whole backup command)"
done

o=$(median "${openssh_default[@]}"); oa=$(median "${openssh_aes[@]}")
c=$(median "${wb_capture[@]}"); w=$(median "${wb_wall[@]}")
ot=$(median "${openssh_work_tee[@]}"); ow=$(median "${openssh_work_after[@]}")
same=$(awk -v a="$ot" -v b="$ow" 'BEGIN { print (a < b ? a : b) }')
echo
echo "Capture of $BYTES bytes over SSH on loopback, median of $ROUNDS rounds ($(nproc) cores, load after: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf "  %-52s %8s MB/s\n" "OpenSSH ssh 'cat FILE' > out (default cipher)" "$(mbps "$BYTES" "$o")"
printf "  %-52s %8s MB/s\n" "OpenSSH ssh -c aes128-gcm 'cat FILE' > out" "$(mbps "$BYTES" "$oa")"
printf "  %-52s %8s MB/s\n" "OpenSSH aes128-gcm tar | tee file | openssl sha256, sync" "$(mbps "$BYTES" "$ot")"
printf "  %-52s %8s MB/s\n" "OpenSSH aes128-gcm tar > file, openssl sha256, sync" "$(mbps "$BYTES" "$ow")"
printf "  %-52s %8s MB/s\n" "wire-backup capture (tar stream, SHA-256, fsync)" "$(mbps "$BYTES" "$c")"
printf "  %-52s %8s MB/s\n" "wire-backup backup, the whole command" "$(mbps "$BYTES" "$w")"
echo "  (the whole command: the JVM's start, the capture, its verification, the full backup written and read back)"
echo "ratio: wire-backup capture / OpenSSH default = $(awk -v a="$o" -v b="$c" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup capture / OpenSSH aes128-gcm = $(awk -v a="$oa" -v b="$c" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup capture / OpenSSH aes128-gcm doing the same work (tar, SHA-256, sync) = $(awk -v a="$same" -v b="$c" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup backup, the whole command / OpenSSH default = $(awk -v a="$o" -v b="$w" 'BEGIN { printf "%.2f", a / b }')"
