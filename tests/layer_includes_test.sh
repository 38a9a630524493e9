#!/usr/bin/env bash
# The layer rule for includes (docs/architecture.md): domain <- app <- adapters <- cmd, each
# pointing inward only. The compiler already refuses most outward includes (each layer's library
# exposes only its own headers: cmake/layers.cmake); this reads every file under src/, headers no
# source includes yet among them, for what the compiler cannot see: outward includes, paths that
# climb out of a layer with "..", and I/O libraries in the pure layers. Prints each violation.
set -uo pipefail
cd "$(dirname "$0")/.."
violations=0

# refuse LAYER_DIR ERE WHY: every include line under LAYER_DIR matching ERE is a violation.
refuse() {
  local found
  found=$(grep -rnE --include='*.hpp' --include='*.cpp' --include='*.h' "^[[:space:]]*#[[:space:]]*include[[:space:]]*$2" "$1")
  if [[ -n $found ]]; then
    echo "FAIL $1: $3"
    echo "$found" | sed 's/^/     /'
    violations=$((violations + 1))
  else
    echo "ok   $1: $3"
  fi
}

refuse src/domain '"(app|adapters|cmd|asio)/' 'domain includes nothing from app, adapters or cmd'
refuse src/app '"(adapters|cmd)/' 'app includes nothing from adapters or cmd'
refuse src/adapters '"cmd/' 'adapters include nothing from cmd'
refuse src '"[^"]*\.\./' 'no include climbs out of its folder with ..'
refuse src/domain '<(boost/(asio|beast)|hiredis|librdkafka|spdlog|sys/|netinet/|arpa/|unistd\.h|fstream|iostream)' \
  'domain does no I/O: no sockets, files, event loops or logging'
refuse src/app '<(boost/beast|hiredis|librdkafka|spdlog|sys/|netinet/|arpa/|fstream)' \
  'app knows Asio only as the awaitable type of its ports: no HTTP, Redis, Kafka, files or logging'
refuse tests/unit '("(adapters|cmd)/|<(hiredis|librdkafka))' 'unit tests link jkjav_app, never an adapter'

if ((violations > 0)); then
  echo "$violations layer rule(s) broken: see docs/architecture.md, 'The layers'"
  exit 1
fi
