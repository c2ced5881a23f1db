# The integration tests' real Cassandra 5.0.4 (org.wirebackup.bench.BenchCassandra), for the benchmarks: built with
# the classpaths it needs, started with its data, kept up until stop_cassandra or the script's end.
# Needs: TOP, WORK. Defines: build_bench (the jar and the classpaths), start_cassandra HEAP ARGS... (BenchCassandra's
# arguments after HOME and INFO_FILE; sources the node's facts: CASSANDRA_DATA, _NODETOOL, _SSTABLELOADER, _CONFIG,
# _CQL_PORT), stop_cassandra.

build_bench() {
  (cd "$TOP" && mvn -B -q -DskipTests package && mvn -B -q exec:exec@cassandra-classpath \
     && mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt)
}

cassandra_pid=
start_cassandra() { # HEAP ARGS...
  local heap=$1
  shift
  mkfifo "$WORK/cassandra.in"
  (cd "$TOP" && exec java -Dwire-backup.cassandra-heap="$heap" \
     -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.wirebackup.bench.BenchCassandra \
     "$WORK/cassandra" "$WORK/cassandra.env" "$@" < "$WORK/cassandra.in" > "$WORK/cassandra.log" 2>&1) &
  cassandra_pid=$!
  # the node stays up while this end of its input is open
  exec 7> "$WORK/cassandra.in"
  for _ in $(seq 1200); do
    [ -f "$WORK/cassandra.env" ] && break
    kill -0 "$cassandra_pid" 2>/dev/null || { cat "$WORK/cassandra.log"; exit 1; }
    sleep 0.5
  done
  # shellcheck disable=SC1091
  . "$WORK/cassandra.env"
}

stop_cassandra() {
  if [ -n "$cassandra_pid" ]; then exec 7>&-; wait "$cassandra_pid" 2>/dev/null || true; fi
}
