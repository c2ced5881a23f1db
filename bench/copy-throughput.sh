#!/usr/bin/env bash
# Copy throughput, in one run, against the same servers:
#   wire-backup's SSH copy (backup-scp-sink)  vs  OpenSSH's `scp FILE host:DIR/` to the same OpenSSH server
#     (and beside them OpenSSH's sftp, and MINA SSHD's own SFTP and SCP clients: the alternatives to the stream)
#   wire-backup's S3 copy (backup-s3-sink)    vs  a plain AWS SDK putObject of the same file to the same S3Proxy
# and, beside the bare baselines, the same work as wire-backup's: scp, then on the host a sync and OpenSSL's SHA-256 of
# the copy (what wire-backup checks there) and the rename to its name; and a plain SDK multipart upload with
# wire-backup's part size and parts in flight (the protocol multi-GB files need), with no proof of its own.
# Prints MB/s for each and the ratios. Usage: bench/copy-throughput.sh [SIZE_MB] [ROUNDS]
set -euo pipefail

SIZE_MB=${1:-1024}
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
WORK="$HERE/work/copy"
PORT=${BENCH_SSH_PORT:-22423}

rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck source=lib/sshd.sh
. "$HERE/lib/sshd.sh"
cleanup() { stop_sshd; rm -rf "$WORK/payload.bin" "$WORK/remote-"* "$WORK/s3"; }
trap cleanup EXIT

(cd "$TOP" && mvn -B -q -DskipTests test-compile)
PAYLOAD="$WORK/payload.bin"
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$PAYLOAD"
BYTES=$(stat -c %s "$PAYLOAD")

openssh_scp=()
for round in $(seq "$ROUNDS"); do
  mkdir -p "$WORK/remote-openssh"
  t0=$(now); scp -q -P "$PORT" "${SSH_OPTS[@]}" "$PAYLOAD" "$USER_NAME@127.0.0.1:$WORK/remote-openssh/r$round.bin"; t1=$(now)
  openssh_scp+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/remote-openssh/r$round.bin"
done

# the same cipher as wire-backup's (AES-GCM): the fair baseline
openssh_scp_aes=()
for round in $(seq "$ROUNDS"); do
  mkdir -p "$WORK/remote-openssh"
  t0=$(now); scp -q -c aes128-gcm@openssh.com -P "$PORT" "${SSH_OPTS[@]}" "$PAYLOAD" \
    "$USER_NAME@127.0.0.1:$WORK/remote-openssh/a$round.bin"; t1=$(now)
  openssh_scp_aes+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/remote-openssh/a$round.bin"
done

# the same work as wire-backup's SSH copy: the upload, then on the host the sync, the size and SHA-256 and the rename
openssh_work=()
for round in $(seq "$ROUNDS"); do
  mkdir -p "$WORK/remote-openssh"
  partial="$WORK/remote-openssh/w$round.bin.partial"
  t0=$(now); scp -q -c aes128-gcm@openssh.com -P "$PORT" "${SSH_OPTS[@]}" "$PAYLOAD" "$USER_NAME@127.0.0.1:$partial"
  "${SSH[@]}" -c aes128-gcm@openssh.com "sync -d '$partial' && wc -c < '$partial' && openssl dgst -sha256 -r < '$partial' \
    && mv '$partial' '$WORK/remote-openssh/w$round.bin'" > /dev/null; t1=$(now)
  openssh_work+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/remote-openssh/w$round.bin"
done

openssh_sftp=()
for round in $(seq "$ROUNDS"); do
  mkdir -p "$WORK/remote-openssh"
  t0=$(now)
  echo "put $PAYLOAD $WORK/remote-openssh/s$round.bin" | sftp -q -b - -P "$PORT" "${SSH_OPTS[@]}" "$USER_NAME@127.0.0.1" >/dev/null
  t1=$(now)
  openssh_sftp+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/remote-openssh/s$round.bin"
done

(cd "$TOP" && mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.wirebackup.bench.CopyBenchmark \
   -Dexec.args="$WORK $PORT $USER_NAME $PAYLOAD $ROUNDS") > "$WORK/java.log" 2>&1 || { cat "$WORK/java.log"; exit 1; }
results() { grep "^RESULT $1 " "$WORK/java.log" | awk '{ print $3 }'; }
mapfile -t wb_scp < <(results scp-wire-backup)
mapfile -t wb_s3 < <(results s3-wire-backup)
mapfile -t plain_s3 < <(results s3-plain-sdk)
mapfile -t plain_multipart < <(results s3-plain-multipart)
mapfile -t mina_sftp < <(results sftp-mina)
mapfile -t mina_scp < <(results scp-mina)

o=$(median "${openssh_scp[@]}"); w=$(median "${wb_scp[@]}"); s=$(median "${wb_s3[@]}"); p=$(median "${plain_s3[@]}")
oa=$(median "${openssh_scp_aes[@]}"); ow=$(median "${openssh_work[@]}"); pm=$(median "${plain_multipart[@]}"); of=$(median "${openssh_sftp[@]}"); mf=$(median "${mina_sftp[@]}"); mc=$(median "${mina_scp[@]}")
echo "Copy of $BYTES bytes on loopback, median of $ROUNDS rounds ($(nproc) cores, load before:" \
     "$(cut -d' ' -f1-3 /proc/loadavg)):"
printf "  %-62s %8s MB/s\n" "OpenSSH scp FILE host:DIR/ (default cipher)" "$(mbps "$BYTES" "$o")"
printf "  %-62s %8s MB/s\n" "OpenSSH scp -c aes128-gcm@openssh.com (wire-backup's cipher)" "$(mbps "$BYTES" "$oa")"
printf "  %-62s %8s MB/s\n" "OpenSSH scp aes128-gcm, then sync, wc -c, openssl sha256, mv" "$(mbps "$BYTES" "$ow")"
printf "  %-62s %8s MB/s\n" "OpenSSH sftp put (default cipher)" "$(mbps "$BYTES" "$of")"
printf "  %-62s %8s MB/s\n" "MINA SSHD SftpClient write (AES-GCM, no check)" "$(mbps "$BYTES" "$mf")"
printf "  %-62s %8s MB/s\n" "MINA SSHD ScpClient upload (AES-GCM, no check)" "$(mbps "$BYTES" "$mc")"
printf "  %-62s %8s MB/s\n" "wire-backup SSH copy (stream, wc -c + sha256sum there, link)" "$(mbps "$BYTES" "$w")"
printf "  %-62s %8s MB/s\n" "plain AWS SDK putObject to S3Proxy" "$(mbps "$BYTES" "$p")"
printf "  %-62s %8s MB/s\n" "plain AWS SDK multipart (64 MiB parts, 4 at a time), HEAD" "$(mbps "$BYTES" "$pm")"
printf "  %-62s %8s MB/s\n" "wire-backup S3 copy (64 MiB parts, HEAD + ETag check)" "$(mbps "$BYTES" "$s")"
echo "ratio: wire-backup SSH copy / OpenSSH scp aes128-gcm = $(awk -v a="$oa" -v b="$w" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup SSH copy / OpenSSH scp aes128-gcm doing the same work (sync, size, sha256, rename) = $(awk -v a="$ow" -v b="$w" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup SSH copy / OpenSSH scp = $(awk -v a="$o" -v b="$w" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup SSH copy / MINA SFTP = $(awk -v a="$mf" -v b="$w" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup SSH copy / MINA SCP = $(awk -v a="$mc" -v b="$w" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup S3 copy / plain SDK upload = $(awk -v a="$p" -v b="$s" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio: wire-backup S3 copy / plain SDK multipart upload, same parts = $(awk -v a="$pm" -v b="$s" 'BEGIN { printf "%.2f", a / b }')"
