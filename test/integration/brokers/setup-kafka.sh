#!/usr/bin/env bash
# Copies the Apache Kafka broker jars (kafka_2.13, its runtime dependencies) from Maven Central
# into .cache/kafka-<version>-<pom hash>/jars, so reruns skip Maven. Prints that folder on its
# last stdout line. Needs mvn and a JDK (17+).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
pom="$here/kafka-pom.xml"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")"
key="$(sha256sum "$pom" | cut -c1-12)"
dir="$root/.cache/kafka-$version-$key"

if [ -f "$dir/.complete" ]; then
  echo "$dir"
  exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"
mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$dir/jars" >&2
ls "$dir/jars/kafka_2.13-$version.jar" >/dev/null
touch "$dir/.complete"
echo "$dir"
