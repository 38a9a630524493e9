# jkjav_embed(<out_var> <symbol> <file>): compiles <file> into the program as
# `extern const std::string_view <symbol>` so scripts and documents ship inside the binary
# and are edited as ordinary files.
function(jkjav_embed out_var symbol file)
  if(IS_ABSOLUTE "${file}")
    set(src "${file}")
  else()
    set(src "${CMAKE_CURRENT_SOURCE_DIR}/${file}")
  endif()
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embedded/${symbol}.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DSRC=${src} -DOUT=${out} -DSYMBOL=${symbol}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    DEPENDS "${src}" "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    COMMENT "Embedding ${file}")
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
