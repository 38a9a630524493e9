# Script mode helper for jkjav_embed: writes SRC as a raw string literal named SYMBOL into OUT.
file(READ "${SRC}" content)
string(FIND "${content}" ")jkjav\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${SRC} contains the raw-string delimiter )jkjav\"")
endif()
file(WRITE "${OUT}" "// Generated from ${SRC}; edit that file instead.\n#include <string_view>\n")
file(APPEND "${OUT}" "namespace jkjav::embedded {\nextern const std::string_view ${SYMBOL};\n")
file(APPEND "${OUT}" "const std::string_view ${SYMBOL} = R\"jkjav(${content})jkjav\";\n}\n")
