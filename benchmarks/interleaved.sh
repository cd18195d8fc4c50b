#!/usr/bin/env bash
# Runs one JMH benchmark with each value of a parameter in its own fork, alternating the values
# round by round (ABC, then CBA, ...), and prints every fork's score, each round's ratio to the
# first value (or of each of the first BASES values to every later one), and the geometric mean
# of those ratios.
#
# Why: JMH runs all forks of one parameter value before the next, so a machine whose speed
# drifts over minutes (this VM's wake-up latency does) favours whichever value ran in the
# faster minutes. Interleaving puts every value through the same minutes; a drift then shows
# as rounds that move together, not as a ratio.
#
# Usage: bash benchmarks/interleaved.sh ROUNDS BENCHMARK PARAM VALUE1 VALUE2 [VALUE...]
#   e.g. bash benchmarks/interleaved.sh 8 'bench\.reactive\.PipeEcho' loop kq selector fluxCreate
# Needs benchmarks/target/benchmarks.jar (./mvnw -B -q package -DskipTests). Each fork runs
# 3 × 2 s of warm-up and 5 × 2 s of measurement (RUN_ARGS overrides). BASES=2 also compares
# the second value to the ones after it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk25.sh
[ $# -ge 5 ] || { sed -n 2,16p "$0" >&2; exit 2; }
rounds=$1 bench=$2 param=$3
shift 3
values=("$@")
read -r -a run_args <<< "${RUN_ARGS:--wi 3 -w 2 -i 5 -r 2}"
csv=$(mktemp)
trap 'rm -f "$csv"' EXIT

score() { # one fork of value $1; prints its score
  "$JAVA_HOME/bin/java" -jar benchmarks/target/benchmarks.jar "$bench" -p "$param=$1" -f 1 "${run_args[@]}" \
    -rf csv -rff "$csv" > /dev/null 2>&1
  tail -1 "$csv" | awk -F, '{gsub(/"/, ""); print $5}'
}

bases=${BASES:-1}
printf '%-6s' round; printf ' %14s' "${values[@]}"; printf ' %s\n' "ratios of the first $bases value(s) to the later ones"
declare -A logsum
for ((r = 1; r <= rounds; r++)); do
  order=("${values[@]}")
  if ((r % 2 == 0)); then # every other round backwards, so a steady drift favours no value
    order=(); for ((i = ${#values[@]} - 1; i >= 0; i--)); do order+=("${values[i]}"); done
  fi
  declare -A got=()
  for v in "${order[@]}"; do got[$v]=$(score "$v"); done
  printf '%-6s' "$r"
  for v in "${values[@]}"; do printf ' %14.1f' "${got[$v]}"; done
  for ((i = 0; i < bases; i++)); do
    base=${values[i]}
    for v in "${values[@]:i+1}"; do
      ratio=$(awk -v a="${got[$v]}" -v b="${got[$base]}" 'BEGIN { printf "%.3f", b / a }')
      logsum[$base/$v]=$(awk -v s="${logsum[$base/$v]:-0}" -v x="$ratio" 'BEGIN { printf "%.6f", s + log(x) }')
      printf ' %s/%s=%s' "$base" "$v" "$ratio"
    done
  done
  echo
done
for ((i = 0; i < bases; i++)); do
  for v in "${values[@]:i+1}"; do
    awk -v s="${logsum[${values[i]}/$v]}" -v n="$rounds" -v p="${values[i]}/$v" \
      'BEGIN { printf "geometric mean %s over %d rounds: %.3f\n", p, n, exp(s / n) }'
  done
done
