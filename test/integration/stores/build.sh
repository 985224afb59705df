#!/usr/bin/env bash
# Builds or downloads the log and trace stores used by the end-to-end test and `npm run stack`, and
# caches each under .cache/<store>/<version>-<key> so reruns return at once:
#   victoria-logs  VictoriaLogs, `go install` from the Go module proxy
#   jaeger         Jaeger v2, built from the wrapper module in ./jaeger (its go.mod/go.sum pin the graph)
#   zipkin         Zipkin's executable server jar, from Maven Central with mvn
# Usage: build.sh [store...]   (default: all three). Prints "<store> <path>" per store on stdout; build
# output and timings go to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
VICTORIA_LOGS_VERSION="v1.52.1"
JAEGER_VERSION="v1.76.0"
ZIPKIN_VERSION="3.6.1"

export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -modcacherw"

timed() {
  local name="$1"
  shift
  local start
  start=$(date +%s)
  "$@" >&2
  echo "$name built in $(($(date +%s) - start))s" >&2
}

victoria_logs() {
  local cache="$root/.cache/victoria-logs/$VICTORIA_LOGS_VERSION"
  local binary="$cache/victoria-logs"
  if [ ! -x "$binary" ]; then
    mkdir -p "$cache"
    GOBIN="$cache/tmp" timed victoria-logs \
      go install "github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$VICTORIA_LOGS_VERSION"
    mv "$cache/tmp/victoria-logs" "$binary"
    rmdir "$cache/tmp"
  fi
  echo "victoria-logs $binary"
}

jaeger() {
  local key
  key="$(cat "$here/jaeger/go.mod" "$here/jaeger/go.sum" | sha256sum | cut -c1-12)"
  local cache="$root/.cache/jaeger/$JAEGER_VERSION-$key"
  local binary="$cache/jaeger"
  if [ ! -x "$binary" ]; then
    mkdir -p "$cache"
    # -mod=readonly: the checked-in go.mod/go.sum are the whole dependency graph; a mismatch fails.
    (cd "$here/jaeger" && timed jaeger go build -mod=readonly -o "$binary.tmp" github.com/jaegertracing/jaeger/cmd/jaeger)
    mv "$binary.tmp" "$binary"
  fi
  echo "jaeger $binary"
}

zipkin() {
  local cache="$root/.cache/zipkin/$ZIPKIN_VERSION"
  local jar="$cache/zipkin-server-$ZIPKIN_VERSION-exec.jar"
  if [ ! -f "$jar" ]; then
    mkdir -p "$cache/tmp"
    timed zipkin mvn -B -q dependency:copy \
      "-Dartifact=io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" "-DoutputDirectory=$cache/tmp"
    mv "$cache/tmp/zipkin-server-$ZIPKIN_VERSION-exec.jar" "$jar"
    rmdir "$cache/tmp"
  fi
  echo "zipkin $jar"
}

stores=("$@")
[ ${#stores[@]} -gt 0 ] || stores=(victoria-logs jaeger zipkin)
for store in "${stores[@]}"; do
  case "$store" in
    victoria-logs) victoria_logs ;;
    jaeger) jaeger ;;
    zipkin) zipkin ;;
    *)
      echo "unknown store: $store (expected victoria-logs, jaeger or zipkin)" >&2
      exit 2
      ;;
  esac
done
