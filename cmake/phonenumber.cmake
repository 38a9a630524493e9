# libphonenumber: Debian's runtime library (libphonenumber8) with the headers of libphonenumber-dev,
# which scripts/fetch-phonenumber-headers.sh unpacks into .deps (installing that package would
# remove Boost 1.81). A system-wide install of the headers is found too.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h
          HINTS ${PROJECT_SOURCE_DIR}/.deps/libphonenumber/usr/include)
find_library(PHONENUMBER_LIBRARY NAMES libphonenumber.so.8 phonenumber)
if(NOT PHONENUMBER_INCLUDE_DIR OR NOT PHONENUMBER_LIBRARY)
  message(FATAL_ERROR "libphonenumber not found (headers: ${PHONENUMBER_INCLUDE_DIR}, "
                      "library: ${PHONENUMBER_LIBRARY}); run `make deps` first")
endif()
# The headers include protobuf's generated-code support and Abseil's hash containers.
find_package(Protobuf REQUIRED)
find_package(absl REQUIRED)
add_library(jkjav_phonenumber INTERFACE)
# SYSTEM: warnings in third-party headers are not ours to fix.
target_include_directories(jkjav_phonenumber SYSTEM INTERFACE ${PHONENUMBER_INCLUDE_DIR})
target_link_libraries(jkjav_phonenumber INTERFACE ${PHONENUMBER_LIBRARY} protobuf::libprotobuf
                      absl::node_hash_set absl::node_hash_map)
