# Sourced by the build scripts: sets JAVA_HOME to a JDK 25 or newer and puts it first on PATH.
# Looks at $JAVA_HOME first, then /usr/lib/jvm/*25*, then any /usr/lib/jvm entry of 25+.
# shellcheck shell=bash

kq_java_major() {
  # The feature version of "$1/bin/java", or 0 when it is not a runnable JDK.
  local v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || { echo 0; return; }
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  case "$v" in ''|*[!0-9.]*) echo 0 ;; 1.*) echo 1 ;; *) echo "${v%%.*}" ;; esac
}

kq_find_jdk25() {
  local c
  if [ -n "${JAVA_HOME:-}" ] && [ "$(kq_java_major "$JAVA_HOME")" -ge 25 ]; then
    echo "$JAVA_HOME"; return 0
  fi
  for c in /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -d "$c" ] || continue
    if [ "$(kq_java_major "$c")" -ge 25 ]; then echo "$c"; return 0; fi
  done
  return 1
}

if KQ_JDK=$(kq_find_jdk25); then
  export JAVA_HOME="$KQ_JDK"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own dependencies use sun.misc.Unsafe; JDK 25 warns about it on every run.
  case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
else
  echo "error: no JDK 25 found (looked at JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm/*)." >&2
  echo "Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1 2>/dev/null || exit 1
fi
