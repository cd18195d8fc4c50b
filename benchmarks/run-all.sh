#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md in sequence, on a quiet machine, and keeps the
# raw output under benchmarks/results/<UTC timestamp>/. About 20 minutes on 2 cores (the reactive
# section about 5, the interleaved pipe echo about 8).
# Usage: bash benchmarks/run-all.sh [section...]   sections: core proc vnode reactive echo (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk25.sh
out="benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
./mvnw -B -q -ntp package -DskipTests
J=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar)
{ nproc; grep -m1 'model name' /proc/cpuinfo; uname -sr; "$JAVA_HOME/bin/java" -version 2>&1 | head -1; uptime; } > "$out/machine.txt"
sections=("$@"); [ ${#sections[@]} -gt 0 ] || sections=(core proc vnode reactive echo)
for s in "${sections[@]}"; do
  echo "== $s ($(date -u +%T))"
  case "$s" in
    core)
      "$JAVA_HOME/bin/java" -jar benchmarks/target/benchmarks.jar 'io\.reactivekq\.bench\.core\.' \
        -rf json -rff "$out/core.json" 2>&1 | tee "$out/core.txt" | grep -E '^(Benchmark|[A-Z][A-Za-z]+Bench)' || true ;;
    proc)
      "${J[@]}" io.reactivekq.bench.proc.ProcExitLatency 1000 3 children 2>&1 | tee "$out/proc-children.txt"
      "${J[@]}" io.reactivekq.bench.proc.ProcExitLatency 1000 3 others 2>&1 | tee "$out/proc-others.txt" ;;
    vnode)
      "${J[@]}" --add-opens java.base/java.io=ALL-UNNAMED io.reactivekq.bench.vnode.VnodeWriteLatency 5000 5 \
        2>&1 | tee "$out/vnode.txt" ;;
    reactive)
      # one fork per method; UserEventPingPongShared is the ping-pong with all three loops in each fork
      "$JAVA_HOME/bin/java" -jar benchmarks/target/benchmarks.jar \
        'bench\.reactive\.(PipeEcho|UserEventPingPong|UserEventPingPongShared|UserEventThroughput)\.' -f 1 -wi 3 -w 2 -i 5 -r 2 \
        -rf json -rff "$out/reactive.json" 2>&1 | tee "$out/reactive.txt" | grep -E '^(Benchmark|[A-Z][A-Za-z]+\.)' || true
      "${J[@]}" -Xmx2g io.reactivekq.bench.reactive.IdleFootprint 100000 2>&1 | tee "$out/idle-footprint.txt"
      "${J[@]}" -Xmx2g io.reactivekq.bench.reactive.SilentSubscriberHeap 10000000 2>&1 | tee "$out/silent-heap.txt"
      { "${J[@]}" io.reactivekq.bench.reactive.SpinCpuCost 10
        "${J[@]}" -Dreactivekq.poller.spinNanos=0 io.reactivekq.bench.reactive.SpinCpuCost 10; } 2>&1 | tee "$out/spin-cpu.txt" ;;
    echo)
      # pipe echo with the loops in alternating forks: the reactive section's one-after-the-other
      # forks are at the mercy of the machine's drift (see benchmarks/interleaved.sh)
      BASES=2 bash benchmarks/interleaved.sh 8 'bench\.reactive\.PipeEcho' loop kq kqReadable selector fluxCreate 2>&1 \
        | tee "$out/pipe-echo-interleaved.txt" ;;
    *) echo "unknown section $s" >&2; exit 2 ;;
  esac
done
echo "results in $out"
