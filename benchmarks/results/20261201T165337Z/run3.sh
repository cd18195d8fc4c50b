#!/bin/bash
# rounds of three forks: kqReadable without the kqueue lock, kqReadable, selector (order alternates)
cd /tmp/nolock; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; csv=$(mktemp)
JA="--enable-native-access=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED"
score() { $J -jar benchmarks/target/benchmarks.jar 'bench\.reactive\.PipeEcho' -p loop=$1 -f 1 -wi 3 -w 2 -i 5 -r 2 -jvmArgsAppend "$JA $2" -rf csv -rff $csv >/dev/null 2>&1; tail -1 $csv | awk -F, '{gsub(/"/,""); print $5}'; }
for ((r=1;r<=$1;r++)); do
  if ((r%2)); then a=$(score kqReadable -Dkq.nolock=true); b=$(score kqReadable -Dkq.lock=true); c=$(score selector -Dx=1);
  else c=$(score selector -Dx=1); b=$(score kqReadable -Dkq.lock=true); a=$(score kqReadable -Dkq.nolock=true); fi
  echo "$r nolock=$a lock=$b selector=$c $(awk -v a=$a -v b=$b -v c=$c 'BEGIN{printf "nolock/sel=%.3f lock/sel=%.3f nolock/lock=%.3f", a/c, b/c, a/b}')"
done
