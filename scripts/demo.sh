#!/usr/bin/env bash
# Builds the library and runs the demonstration: prints the kevents of a few live sources.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk25.sh
./mvnw -B -ntp -q -DskipTests install
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "samples/target/classes:$(cat samples/target/classpath.txt)" io.reactivekq.samples.Demo "$@"
