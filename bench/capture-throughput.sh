#!/usr/bin/env bash
# Capture throughput: wire-backup against OpenSSH's `ssh host 'cat FILE' > out`, both talking to the same
# OpenSSH server (Debian's openssh-server on a loopback port with its own config and keys), in one run.
# Prints MB/s for each and the ratios. Usage: bench/capture-throughput.sh [SIZE_MB] [ROUNDS]
set -euo pipefail

SIZE_MB=${1:-1024}
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
WORK="$HERE/work/capture"
JAR="$TOP/target/wire-backup.jar"
PORT=${BENCH_SSH_PORT:-22422}
USER_NAME=$(id -un)

if [ ! -x /usr/sbin/sshd ]; then
  echo "installing openssh-server (Debian package)..."
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq openssh-server >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq openssh-server >/dev/null; fi
fi
[ -f "$JAR" ] || (cd "$TOP" && mvn -B -q -DskipTests package)

rm -rf "$WORK"
mkdir -p "$WORK/keys" "$WORK/wire-host/wire-server" "$WORK/routes" "$WORK/out"
chmod 700 "$WORK/keys"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/keys/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/keys/id_ed25519"
cp "$WORK/keys/id_ed25519.pub" "$WORK/keys/authorized_keys"
echo "[127.0.0.1]:$PORT $(cat "$WORK/keys/host_ed25519.pub")" > "$WORK/keys/known_hosts"

cat > "$WORK/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $WORK/keys/host_ed25519
AuthorizedKeysFile $WORK/keys/authorized_keys
PidFile $WORK/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
CONF
mkdir -p /run/sshd 2>/dev/null || true
/usr/sbin/sshd -f "$WORK/sshd_config" -E "$WORK/sshd.log"
stop_sshd() {
  if [ -f "$WORK/sshd.pid" ]; then kill "$(cat "$WORK/sshd.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK/wire-host" "$WORK/out" "$WORK/data"
}
trap stop_sshd EXIT
for _ in $(seq 50); do [ -f "$WORK/sshd.pid" ] && break; sleep 0.1; done

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

SSH=(ssh -p "$PORT" -i "$WORK/keys/id_ed25519" -o BatchMode=yes -o StrictHostKeyChecking=yes
     -o UserKnownHostsFile="$WORK/keys/known_hosts" -o GlobalKnownHostsFile=/dev/null "$USER_NAME@127.0.0.1")

now() { date +%s.%N; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }

openssh_default=(); openssh_aes=(); wb_capture=(); wb_wall=()
for round in $(seq "$ROUNDS"); do
  t0=$(now); "${SSH[@]}" "cat '$PAYLOAD'" > "$WORK/out/openssh.bin"; t1=$(now)
  [ "$(stat -c %s "$WORK/out/openssh.bin")" = "$BYTES" ] || { echo "openssh copy is short" >&2; exit 1; }
  openssh_default+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/out/openssh.bin"

  t0=$(now); "${SSH[@]}" -c aes128-gcm@openssh.com "cat '$PAYLOAD'" > "$WORK/out/openssh.bin"; t1=$(now)
  openssh_aes+=("$(echo "$t1 - $t0" | bc -l)")
  rm -f "$WORK/out/openssh.bin"

  rm -rf "$WORK/data"
  t0=$(now); java -Xmx256m -jar "$JAR" backup --config "$WORK/bench.properties" > "$WORK/wire-backup.log" 2>&1; t1=$(now)
  record=$(ls "$WORK"/data/runs/*/run.json)
  captured=$(grep -o '"bytes" : [0-9]*' "$record" | tail -1 | grep -o '[0-9]*$')
  millis=$(grep -o '"durationMillis" : [0-9]*' "$record" | tail -1 | grep -o '[0-9]*$')
  [ "$captured" -gt "$BYTES" ] || { echo "wire-backup capture is short" >&2; cat "$WORK/wire-backup.log"; exit 1; }
  wb_capture+=("$(echo "$millis / 1000" | bc -l)")
  wb_wall+=("$(echo "$t1 - $t0" | bc -l)")
  echo "round $round: openssh ${openssh_default[-1]}s, openssh aes128-gcm ${openssh_aes[-1]}s, wire-backup capture ${wb_capture[-1]}s (${wb_wall[-1]}s with JVM start)"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
o=$(median "${openssh_default[@]}"); oa=$(median "${openssh_aes[@]}")
c=$(median "${wb_capture[@]}"); w=$(median "${wb_wall[@]}")
echo
echo "Capture of $BYTES bytes over SSH on loopback, median of $ROUNDS rounds ($(nproc) cores):"
printf "  %-52s %8s MB/s\n" "OpenSSH ssh 'cat FILE' > out (default cipher)" "$(mbps "$BYTES" "$o")"
printf "  %-52s %8s MB/s\n" "OpenSSH ssh -c aes128-gcm 'cat FILE' > out" "$(mbps "$BYTES" "$oa")"
printf "  %-52s %8s MB/s\n" "wire-backup capture (tar stream, SHA-256, fsync)" "$(mbps "$BYTES" "$c")"
printf "  %-52s %8s MB/s\n" "wire-backup incl. JVM start (java -jar ... backup)" "$(mbps "$BYTES" "$w")"
echo "ratio wire-backup capture / OpenSSH default: $(awk -v a="$o" -v b="$c" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio wire-backup capture / OpenSSH aes128-gcm: $(awk -v a="$oa" -v b="$c" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio wire-backup incl. JVM start / OpenSSH default: $(awk -v a="$o" -v b="$w" 'BEGIN { printf "%.2f", a / b }')"
