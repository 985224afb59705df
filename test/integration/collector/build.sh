#!/usr/bin/env bash
# Builds the OpenTelemetry Collector used by the integration tests with the
# official builder, and caches the binary under .cache/ keyed by the builder
# version and a hash of the builder config, so reruns skip the build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
BUILDER_VERSION="v0.159.0"
config="$here/builder-config.yaml"
key="$(sha256sum "$config" | cut -c1-12)"
cache="$root/.cache/otelcol/$BUILDER_VERSION-$key"
binary="$cache/tracelink-otelcol"

if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

export GOTOOLCHAIN=local
export GOBIN="$root/.cache/go-bin"
export GOFLAGS="${GOFLAGS:-} -modcacherw"
mkdir -p "$GOBIN" "$cache"
if [ ! -x "$GOBIN/builder-$BUILDER_VERSION" ]; then
  go install "go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION" >&2
  mv "$GOBIN/builder" "$GOBIN/builder-$BUILDER_VERSION"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s#output_path: ./otelcol-build#output_path: $work/out#" "$config" > "$work/builder-config.yaml"
start=$(date +%s)
"$GOBIN/builder-$BUILDER_VERSION" --config "$work/builder-config.yaml" >&2
cp "$work/out/tracelink-otelcol" "$binary.tmp"
mv "$binary.tmp" "$binary"
echo "collector built in $(( $(date +%s) - start ))s" >&2
echo "$binary"
