#!/usr/bin/env bash
# Runs the whole test suite (JUnit conformance suite and the Reactive Streams TCK) with JDK 25.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk25.sh
exec ./mvnw -B -ntp verify "$@"
