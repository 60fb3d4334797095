#!/bin/sh
# Builds outpatient-pooling.jar: the Java wrapper (org.outpatientpooling.OutpatientPooling) over the C library.
#
#   Docs/bindings/java/build-jar.sh [OUTPUT.jar]     (default: outpatient-pooling.jar in the current folder)
#
# Needs a JDK (javac, jar) and JNA (JNA_JAR, default /usr/share/java/jna.jar; Debian: libjna-java). The jar
# holds only the wrapper: put JNA's jar beside it on the class path, and the library where JNA finds it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-outpatient-pooling.jar}
jna=${JNA_JAR:-/usr/share/java/jna.jar}
[ -f "$jna" ] || { echo "build-jar.sh: JNA not found at $jna (set JNA_JAR)" >&2; exit 1; }
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
javac --release 11 -encoding UTF-8 -cp "$jna" -d "$classes" "$here/src/org/outpatientpooling/OutpatientPooling.java"
jar --create --file "$out" -C "$classes" .
echo "built $out"
