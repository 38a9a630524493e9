# jkjav_layer_headers(<target> <layer>): <target> exposes the headers of src/<layer> and no others.
# Each layer gets its own include root in the build tree holding one link, e.g.
# <build>/layers/app/app -> src/app, so sources keep writing #include "app/booking_service.hpp" but
# find a layer's headers only by linking its library. Libraries link only the layer below
# (domain <- app <- adapters <- cmd), so an include that points outward (domain -> app, app ->
# adapters, adapters -> cmd) fails to compile. tests/layer_includes_test.sh checks what the compiler
# cannot see: relative paths around the roots, and I/O headers in domain.
function(jkjav_layer_headers target layer)
  set(root "${PROJECT_BINARY_DIR}/layers/${layer}")
  file(MAKE_DIRECTORY "${root}")
  if(NOT EXISTS "${root}/${layer}")
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/src/${layer}" "${root}/${layer}" SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC "${root}")
endfunction()
