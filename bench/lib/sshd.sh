# Debian's OpenSSH server on a loopback port with its own config and keys, for the benchmarks.
# Needs: WORK (a fresh directory), PORT. Defines: USER_NAME, SSH (an ssh command array), stop_sshd.
# Installs openssh-server when missing. Stops the server by PID on exit.

USER_NAME=$(id -un)
if [ ! -x /usr/sbin/sshd ]; then
  echo "installing openssh-server (Debian package)..."
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq openssh-server >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq openssh-server >/dev/null; fi
fi
mkdir -p "$WORK/keys" "$WORK/home"
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
Subsystem sftp internal-sftp
# an empty home: the commands of both sides run in a shell as plain as a Wire host's, not this machine's login
# setup (root's .bashrc here runs pyenv's init, 0.2 s per command)
SetEnv HOME=$WORK/home
CONF
mkdir -p /run/sshd 2>/dev/null || true
/usr/sbin/sshd -f "$WORK/sshd_config" -E "$WORK/sshd.log"
stop_sshd() {
  if [ -f "$WORK/sshd.pid" ]; then kill "$(cat "$WORK/sshd.pid")" 2>/dev/null || true; fi
}
for _ in $(seq 50); do [ -f "$WORK/sshd.pid" ] && break; sleep 0.1; done
SSH_OPTS=(-i "$WORK/keys/id_ed25519" -o BatchMode=yes -o StrictHostKeyChecking=yes
          -o UserKnownHostsFile="$WORK/keys/known_hosts" -o GlobalKnownHostsFile=/dev/null)
SSH=(ssh -p "$PORT" "${SSH_OPTS[@]}" "$USER_NAME@127.0.0.1")

now() { date +%s.%N; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
