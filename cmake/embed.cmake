# jkjav_embed(<out_var> <symbol> <file> [<file>...]): compiles the files, joined in the order given,
# into the program as `extern const std::string_view <symbol>` so scripts and documents ship inside
# the binary and are edited as ordinary files. Several files: a Lua script with the shared functions
# it needs put before it (Redis runs one script text, so there is no `require`).
function(jkjav_embed out_var symbol file)
  set(sources "")
  foreach(one IN ITEMS ${file} ${ARGN})
    if(IS_ABSOLUTE "${one}")
      list(APPEND sources "${one}")
    else()
      list(APPEND sources "${CMAKE_CURRENT_SOURCE_DIR}/${one}")
    endif()
  endforeach()
  string(REPLACE ";" "|" joined "${sources}")
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embedded/${symbol}.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DSRC=${joined}" -DOUT=${out} -DSYMBOL=${symbol}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    DEPENDS ${sources} "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    COMMENT "Embedding ${file} ${ARGN}"
    VERBATIM)
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
