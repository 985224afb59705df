#!/usr/bin/env bash
# Creates the virtualenv with the OpenTelemetry Python SDK for the cross-language test, cached
# under .cache/pyvenv keyed by a hash of requirements.txt, so reruns skip the install.
# Prints the path of the venv's python on its last stdout line. An argument names another
# requirements file (grpc-requirements.txt: grpcio and the gRPC instrumentation), in a venv of
# its own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
requirements="${1:-$here/requirements.txt}"
key="$(sha256sum "$requirements" | cut -c1-12)"
venv="$root/.cache/pyvenv/$key"
python="$venv/bin/python"

if [ -x "$python" ] && [ -f "$venv/.complete" ]; then
  echo "$python"
  exit 0
fi

rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements" >&2
# --no-deps installs exactly the pinned set; this import proves the set is complete.
"$python" -c 'import opentelemetry.sdk.trace, opentelemetry.propagate' >&2
touch "$venv/.complete"
echo "$python"
